"""The machine policy IT sets: a plain value is a default the user may change, a locked one
wins over the user's settings and is shown disabled; anything wrong in it is one log line and
the rest applies; a broken or missing file never stops the start."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.config import (
    Settings,
    load_settings,
    machine_policy,
    save_settings,
    settings_path,
)
from desktop_app.policy import parse_policy, policy_path

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
LOGGER = "desktop_app.policy"


def write(path: Path, document: object) -> None:
    path.write_text(json.dumps(document), encoding="utf-8")


def test_the_policy_file_is_in_the_machine_folder_unless_rounds_policy_names_another(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ROUNDS_POLICY", raising=False)
    if sys.platform == "win32":
        monkeypatch.setenv("ProgramData", str(tmp_path))
        assert policy_path() == tmp_path / "Rounds" / "policy.json"
    else:
        assert policy_path() == Path("/etc/rounds/policy.json")
    monkeypatch.setenv("ROUNDS_POLICY", str(tmp_path / "other.json"))
    assert policy_path() == tmp_path / "other.json"


def test_a_locked_value_wins_over_the_users_settings(policy_file: Path) -> None:
    save_settings(Settings(server_url="https://mine.example", sync_interval_minutes=5))
    write(policy_file, {"server_url": {"value": "https://it.example", "locked": True}})
    settings = load_settings()
    assert settings.server_url == "https://it.example"
    assert settings.sync_interval_minutes == 5
    assert machine_policy().locked == {"server_url": "https://it.example"}


def test_a_plain_value_is_a_default_the_user_may_change(policy_file: Path) -> None:
    write(
        policy_file,
        {
            "sync_interval_minutes": 30,
            "disk_floor_mb": {"value": 2000, "locked": False},
            "proxy_url": "http://proxy.hospital.example:3128",
        },
    )
    assert load_settings().sync_interval_minutes == 30
    assert load_settings().proxy_url == "http://proxy.hospital.example:3128"
    save_settings(load_settings().with_changes(sync_interval_minutes=5))
    settings = load_settings()
    assert (settings.sync_interval_minutes, settings.disk_floor_mb) == (5, 2000)
    assert machine_policy().locked == {}


def test_a_default_it_changes_later_reaches_a_user_who_saved_settings(policy_file: Path) -> None:
    write(policy_file, {"sync_interval_minutes": 30})
    save_settings(load_settings().with_changes(username="ana", idle_lock_minutes=5))
    write(policy_file, {"sync_interval_minutes": 45})
    settings = load_settings()
    assert (settings.sync_interval_minutes, settings.idle_lock_minutes) == (45, 5)
    assert settings.username == "ana"


def test_a_locked_value_is_not_written_as_the_users_and_lifting_the_lock_gives_hers_back(
    policy_file: Path,
) -> None:
    save_settings(Settings(proxy_url="http://mine.example:3128"))
    write(policy_file, {"proxy_url": {"value": "http://it.example:8080", "locked": True}})
    save_settings(load_settings().with_changes(username="ana"))
    assert load_settings().proxy_url == "http://it.example:8080"
    assert "it.example" not in settings_path().read_text(encoding="utf-8")
    policy_file.unlink()
    assert load_settings().proxy_url == "http://mine.example:3128"


def test_without_a_policy_file_the_declared_defaults_apply(policy_file: Path) -> None:
    assert not policy_file.exists()
    assert load_settings() == Settings()
    assert machine_policy().problems == ()


@pytest.mark.expect_log(LOGGER, "names colour, which is not a setting")
@pytest.mark.expect_log(LOGGER, "value for sync_interval_minutes is not a whole number")
@pytest.mark.expect_log(LOGGER, "value for disk_floor_mb is not a whole number")
@pytest.mark.expect_log(LOGGER, "value for idle_lock_minutes is refused: Enter a whole number")
@pytest.mark.expect_log(LOGGER, "locks text_size_percent, which only the user may choose")
@pytest.mark.expect_log(LOGGER, "entry for lrs_endpoint has no value; it is ignored")
def test_each_wrong_entry_is_one_log_line_and_the_rest_applies(
    policy_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(
        policy_file,
        {
            "colour": "red",
            "sync_interval_minutes": "often",
            "disk_floor_mb": True,
            "idle_lock_minutes": {"value": -5, "locked": True},
            "text_size_percent": {"value": 150, "locked": True},
            "lrs_endpoint": {"locked": True},
            "server_url": {"value": "https://it.example", "locked": True},
        },
    )
    for _ in range(3):  # the settings are read many times in a start; each line is logged once
        settings = load_settings()
    assert settings.server_url == "https://it.example"
    assert settings.text_size_percent == 150  # not lockable: applied as a default
    assert (settings.sync_interval_minutes, settings.disk_floor_mb) == (15, 500)
    assert settings.idle_lock_minutes == 0
    policy_lines = [r for r in caplog.records if r.name == LOGGER]
    assert len(policy_lines) == 6
    assert machine_policy().locked == {"server_url": "https://it.example"}


def _broken(content: str | bytes, logged: str) -> object:
    return pytest.param(content, logged, marks=pytest.mark.expect_log(LOGGER, logged))


@pytest.mark.parametrize(
    ("content", "logged"),
    [
        _broken("{not json", "could not be read (Expecting property name"),
        _broken('["server_url"]', "does not hold a JSON object"),
        _broken(b"\xff\xfe{", "could not be read ('utf-8' codec can't decode"),
    ],
)
def test_a_broken_policy_file_is_logged_and_the_users_settings_apply(
    policy_file: Path, caplog: pytest.LogCaptureFixture, content: str | bytes, logged: str
) -> None:
    save_settings(Settings(sync_interval_minutes=7))
    if isinstance(content, bytes):
        policy_file.write_bytes(content)
    else:
        policy_file.write_text(content, encoding="utf-8")
    assert load_settings().sync_interval_minutes == 7
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(lines) == 1 and lines[0].startswith(f"The policy file {policy_file} ")


@pytest.mark.expect_log(LOGGER, "could not be read (Is a directory)")
def test_an_unreadable_policy_path_is_logged_once(policy_file: Path) -> None:
    policy_file.mkdir()
    assert load_settings() == Settings()
    assert machine_policy().problems


def test_parse_policy_reads_values_and_locks_without_a_file() -> None:
    policy = parse_policy(
        {"ca_bundle": {"value": "", "locked": True}, "lrs_endpoint": "https://lrs.example/x"},
        Settings(),
    )
    assert policy.locked == {"ca_bundle": ""}
    assert policy.defaults == {"lrs_endpoint": "https://lrs.example/x"}
    assert policy.problems == ()


def test_the_settings_dialog_shows_a_locked_setting_disabled_with_why(
    policy_file: Path, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QLabel

    from desktop_app.views.main_window import MainWindow

    write(policy_file, {"proxy_url": {"value": "http://proxy.example:3128", "locked": True}})
    window = MainWindow()
    qtbot.addWidget(window)
    dialog = window.settings_dialog()
    qtbot.addWidget(dialog)
    proxy = dialog.fields["proxy_url"]
    assert not proxy.editor.isEnabled()
    assert "Set by your IT department." in [label.text() for label in proxy.findChildren(QLabel)]
    assert dialog.fields["server_url"].editor.isEnabled()


@pytest.mark.expect_log(LOGGER, "names early_key, which is not a setting")
def test_a_problem_read_before_the_log_file_is_set_up_still_reaches_it(
    policy_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from desktop_app import policy

    write(policy_file, {"early_key": 1})
    with monkeypatch.context() as before_the_log_file:  # the window's first read
        before_the_log_file.setattr(policy.log, "hasHandlers", lambda: False)
        load_settings()
    with caplog.at_level(logging.WARNING, LOGGER):
        caplog.clear()
        load_settings()
        load_settings()
    assert len([r for r in caplog.records if "early_key" in r.getMessage()]) == 1
