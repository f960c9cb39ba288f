"""A command that fails on the local database or on a bug says so in one line on stderr; the
SQL, SQLAlchemy's links and the traceback go to the log file only.

These faults cannot be produced over HTTP, so the exchange is made to raise them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import log_dir
from desktop_app.progress import ProgressExchange

EXPORT = ["export", "--server", "http://127.0.0.1:9", "--user", "ana"]
SQL = "SELECT statement.id FROM statement WHERE statement.actor = ?"


def locked_database(self: ProgressExchange, path: Path) -> int:
    raise OperationalError(SQL, ("ana",), sqlite3.OperationalError("database is locked"))


def broken_code(self: ProgressExchange, path: Path) -> int:
    raise RuntimeError("an unforeseen state\nwith a second line")


def only_line(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    for leak in ("sqlalche.me", "Traceback", "SELECT", "second line"):
        assert leak not in err
    return err.rstrip("\n")


def logged() -> str:
    return (log_dir() / "rounds.log").read_text(encoding="utf-8")


@pytest.mark.expect_log("desktop_app.cli.main", "export failed")
def test_a_database_error_is_one_line_and_its_sql_goes_to_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(ProgressExchange, "export_to", locked_database)

    assert cli.run([*EXPORT, str(tmp_path / "progress.json")]) == ExitCode.FAILED

    assert only_line(capsys) == (
        "rounds export: the local cache could not be used (database is locked); "
        f"the details are in the log file in {log_dir()}"
    )
    assert "Traceback" in logged() and SQL in logged()


@pytest.mark.expect_log("desktop_app.cli.main", "export failed on an unexpected error")
def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(ProgressExchange, "export_to", broken_code)

    assert cli.run([*EXPORT, str(tmp_path / "progress.json")]) == ExitCode.FAILED

    assert only_line(capsys) == (
        "rounds export: something went wrong (RuntimeError); "
        f"the details are in the log file in {log_dir()}"
    )
    assert "Traceback" in logged() and "RuntimeError: an unforeseen state" in logged()
