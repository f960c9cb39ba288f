"""The exit-code table scripts rely on: each number keeps one meaning, and `--help` lists it."""

from __future__ import annotations

import pytest

from desktop_app.__main__ import main
from desktop_app.cli.exit_codes import MEANINGS, ExitCode


def test_every_code_keeps_its_number_and_has_a_meaning() -> None:
    assert {code.name: code.value for code in ExitCode} == {
        "OK": 0,
        "FAILED": 1,
        "USAGE": 2,
        "SIGN_IN_REFUSED": 3,
        "NO_SPACE": 4,
        "NOT_FOUND": 5,
        "INTERRUPTED": 130,
    }
    assert list(MEANINGS) == list(ExitCode)


def test_the_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == ExitCode.OK
    text = " ".join(capsys.readouterr().out.split())
    assert "exit codes: 0 done, 1 failed or refused, 2 wrong usage" in text
    assert "5 unknown course or module, 130 interrupted." in text
