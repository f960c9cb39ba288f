"""The command line: serving prints its URL; admin commands work on a data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from reference_server import SAMPLE_CURRICULUM
from reference_server.__main__ import main

from .testkit import Api, assert_problem

REPOSITORY = Path(__file__).resolve().parents[2]


def test_serve_prints_the_url_and_stops_on_terminate(tmp_path: Path, curriculum: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "reference_server",
        "--data",
        str(tmp_path / "data"),
        "--port",
        "0",
        "--curriculum",
        str(curriculum),
    ]
    process = subprocess.Popen(
        command, cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("Rounds reference server listening on http://127.0.0.1:")
        url = line.split()[-1]
        assert requests.get(url + "/xapi/about", timeout=10).status_code == 200
        assert Api(url, "ana").feed("catalog")["items"]
    finally:
        process.terminate()
        process.wait(timeout=20)
    if os.name != "nt":
        assert process.returncode == 0


def _serve(*arguments: str | Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "reference_server", "--port", "0", *map(str, arguments)]
    return subprocess.Popen(
        command, cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _stop(process: subprocess.Popen[str]) -> str:
    """Terminates the server; returns what it logged."""
    process.terminate()
    _out, err = process.communicate(timeout=20)
    return err


def test_serve_without_a_curriculum_has_no_users_and_says_how_to_add_one(tmp_path: Path) -> None:
    process = _serve("--data", tmp_path)
    try:
        url = (process.stdout.readline() if process.stdout else "").split()[-1]
        for username in ("ana", "ben"):
            assert_problem(Api(url, "").sign_in(username), 401, "unauthorized")
        assert Api(url, "").sign_in("ana").json()["detail"] == "Unknown username or wrong password."
    finally:
        log = _stop(process)
    assert "No users yet: add one with `python -m reference_server users --data" in log


def test_serve_with_demo_loads_the_sample_and_its_demo_users(tmp_path: Path) -> None:
    process = _serve("--data", tmp_path, "--demo")
    try:
        url = (process.stdout.readline() if process.stdout else "").split()[-1]
        items = Api(url, "ana").feed("catalog")["items"]
        assert Api(url, "").sign_in("ben").status_code == 200
    finally:
        log = _stop(process)
    assert "No users yet" not in log
    if (SAMPLE_CURRICULUM / "courses").is_dir():
        assert {item["id"] for item in items} >= {
            p.stem for p in SAMPLE_CURRICULUM.glob("courses/*.json")
        }


def _admin(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["admin", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_admin_commands(tmp_path: Path, curriculum: Path, capsys) -> None:
    data = tmp_path / "data"
    code, out, err = _admin(capsys, "--data", data, "load", curriculum)
    assert code == 0, err
    assert "3 users, 2 courses (2 changed), 1 residencies" in out
    assert _admin(capsys, "--data", data, "unpublish", "c-privacy")[1] == "c-privacy: unpublished\n"
    assert _admin(capsys, "--data", data, "publish", "c-privacy")[1] == "c-privacy: published\n"
    code, out, _ = _admin(capsys, "--data", data, "checkins", "r-chicago")
    assert code == 0 and out.startswith("received_at\t")
    code, _, err = _admin(capsys, "--data", data, "unpublish", "c-nothing")
    assert code == 1 and "c-nothing" in err
    code, out, _ = _admin(capsys, "--data", data, "generate", "3", "2")
    assert out == "published 3 generated courses\n"


def test_a_broken_curriculum_is_reported_in_one_line(
    tmp_path: Path, curriculum: Path, capsys
) -> None:
    (curriculum / "courses" / "c-privacy.json").write_text("{", encoding="utf-8")
    code, _, err = _admin(capsys, "--data", tmp_path / "data", "load", curriculum)
    assert code == 1
    assert "courses/c-privacy.json" in err and "Traceback" not in err


def test_a_public_url_that_is_not_a_url_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--data", str(tmp_path), "--public-url", "learning"])
    assert stopped.value.code == 2
    assert "'learning' is not an http(s) URL" in capsys.readouterr().err
    assert not (tmp_path / "server-id").exists()
