"""The PyInstaller build: both executables pass their self-test and carry the version,
`rounds --demo` shows the sample catalog, and Qt's unneeded payload is left out."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import pytest
from built_app import ROOT, bundle_env, run_binary

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging"), pytest.mark.timeout(900)]

CURRICULUM = ROOT / "resources" / "curriculum" / "courses"
DEMO_TIMEOUT_S = 120


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


@pytest.mark.parametrize("name", ["rounds", "rounds-cli"])
def test_each_executable_passes_its_self_test(bundle: Path, tmp_path: Path, name: str) -> None:
    checked = run_binary(bundle / name, "--self-test", env=bundle_env(tmp_path / "home"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "self-test passed" in checked.stdout
    assert not (tmp_path / "home").exists(), "the self-test must not write user data"


@pytest.mark.parametrize("name", ["rounds", "rounds-cli"])
def test_each_executable_carries_the_version(bundle: Path, tmp_path: Path, name: str) -> None:
    shown = run_binary(bundle / name, "--version", env=bundle_env(tmp_path))
    assert shown.stdout.strip() == f"Rounds {project_version()}", shown.stderr


def test_the_console_executable_runs_a_headless_command(bundle: Path, tmp_path: Path) -> None:
    shown = run_binary(bundle / "rounds-cli", "status", "--help", env=bundle_env(tmp_path))
    assert shown.returncode == 0, shown.stderr
    assert "usage" in shown.stdout.lower()


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (make sysdeps)")
def test_demo_in_the_bundle_shows_the_sample_catalog(bundle: Path, tmp_path: Path) -> None:
    """`rounds --demo` under Xvfb: the bundled reference server starts on loopback, the learner
    is signed in, and the course list paints with the sample's courses in it; the start-up
    probe reports that paint and quits."""
    home = tmp_path / "home"
    env = bundle_env(
        home, ROUNDS_REPORT_PAINT="1", ROUNDS_EXIT_AFTER="course-list", QT_QPA_PLATFORM="xcb"
    )
    try:
        shown = subprocess.run(
            ["xvfb-run", "-a", str(bundle / "rounds"), "--demo"],
            env=env,
            capture_output=True,
            text=True,
            timeout=DEMO_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        log = home / "logs" / "rounds.log"
        shown_log = log.read_text(encoding="utf-8") if log.exists() else ""
        pytest.fail(f"no course list: {expired.stdout!r} {shown_log}")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    milestones = [
        line.split()[1] for line in shown.stdout.splitlines() if line.startswith("rounds-startup")
    ]
    assert "course-list" in milestones, shown.stdout + shown.stderr
    assert sorted(_cached_course_ids(home)) == sorted(_sample_course_ids())


def _sample_course_ids() -> list[str]:
    return [json.loads(path.read_text())["id"] for path in CURRICULUM.glob("*.json")]


def _cached_course_ids(home: Path) -> list[str]:
    databases = list(home.glob("accounts/*/rounds.sqlite3"))
    assert len(databases) == 1, f"no cache database under {home}"
    with sqlite3.connect(f"file:{databases[0]}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT id FROM course")]


def test_only_shipped_languages_of_qt_are_bundled(bundle: Path) -> None:
    shipped = {
        p.stem.removeprefix("rounds_") for p in (ROOT / "resources/translations").glob("*.ts")
    }
    bundled = list((bundle / "_internal" / "PySide6" / "Qt" / "translations").glob("*.qm"))
    assert bundled, "Qt's own translations (standard buttons, dialogs) must stay"
    languages = {path.stem.split("_", 1)[1] for path in bundled}
    assert languages == shipped


def test_the_virtual_keyboard_and_embedded_platforms_are_left_out(bundle: Path) -> None:
    names = [path.name for path in (bundle / "_internal").rglob("*")]
    assert not [n for n in names if "irtualKeyboard" in n or "irtualkeyboard" in n]
    assert not [n for n in names if n.startswith(("libqeglfs", "libqvnc", "libqlinuxfb"))]
    assert "libqxcb.so" in names and "libqwayland.so" in names and "libqoffscreen.so" in names
