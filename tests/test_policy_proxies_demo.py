"""What a machine policy adds for a hospital's network and demo use: the PAC file setting, the
proxy and PAC file locked together, the demo switched off (and `--demo` refusing in one
sentence), a switch of the wrong type named as such, and a client secret kept out of logs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel
from pytestqt.qtbot import QtBot
from shots import keep, shots_folder

from desktop_app.config import Settings, load_settings, machine_policy, save_settings
from desktop_app.error_text import describe
from desktop_app.gui.launch import _Start
from desktop_app.logging_setup import scrub
from desktop_app.policy import NotAllowedError, _switches_as_booleans, parse_policy
from desktop_app.views.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
PAC = "http://wpad.hospital.test/proxy.pac"
NO_DEMO = "Your organisation does not allow the demo on this computer; start Rounds without --demo."


def write(path: Path, document: object) -> None:
    path.write_text(json.dumps(document), encoding="utf-8")


def test_a_locked_pac_file_also_locks_out_the_users_own_proxy(policy_file: Path) -> None:
    save_settings(Settings(proxy_url="http://my-own-proxy.test:8080"))
    write(policy_file, {"proxy_pac_url": {"value": PAC, "locked": True}})
    settings = load_settings()
    assert (settings.proxy_url, settings.proxy_pac_url) == ("", PAC)
    assert machine_policy().locked == {"proxy_pac_url": PAC, "proxy_url": ""}


def test_a_pac_file_as_a_default_gives_way_to_the_users_proxy(policy_file: Path) -> None:
    save_settings(Settings(proxy_url="http://my-own-proxy.test:8080"))
    write(policy_file, {"proxy_pac_url": PAC})
    settings = load_settings()
    assert (settings.proxy_url, settings.proxy_pac_url) == ("http://my-own-proxy.test:8080", PAC)


def test_a_policy_may_lock_the_demo_off_and_then_demo_refuses_in_one_sentence(
    policy_file: Path, qapp: QApplication
) -> None:
    write(policy_file, {"allow_demo": {"value": False, "locked": True}})
    save_settings(Settings(allow_demo=True))
    assert load_settings().allow_demo is False
    args = argparse.Namespace(demo=True, server=None, user=None)
    start = _Start(qapp, args, None)  # type: ignore[arg-type]  # the frame is not needed
    with pytest.raises(NotAllowedError) as refused:
        start._open_account()
    assert start.demo is None  # no demo server was started
    assert describe(refused.value).message == NO_DEMO


@pytest.mark.expect_log("desktop_app.policy", "is not true or false")
@pytest.mark.expect_log("desktop_app.policy", "is not a whole number")
@pytest.mark.expect_log("desktop_app.policy", "is not text")
def test_a_value_of_the_wrong_type_is_named_with_the_type_it_should_have(
    policy_file: Path,
) -> None:
    write(
        policy_file,
        {"allow_demo": "no", "sync_interval_minutes": True, "proxy_pac_url": False},
    )
    problems = set(machine_policy().problems)
    assert problems == {
        "The policy's value for allow_demo is not true or false.",
        "The policy's value for sync_interval_minutes is not a whole number.",
        "The policy's value for proxy_pac_url is not text.",
    }
    assert load_settings().allow_demo is True


def test_a_switch_in_the_registry_is_a_dword() -> None:
    values = _switches_as_booleans({"allow_demo": 0, "sync_interval_minutes": 1})
    assert values == {"allow_demo": False, "sync_interval_minutes": 1}
    locked = parse_policy(
        {"allow_demo": {"value": values["allow_demo"], "locked": True}}, Settings()
    )
    assert locked.locked == {"allow_demo": False} and not locked.problems


def test_the_dialog_shows_the_new_settings_and_greys_the_locked_ones(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = SettingsDialog(Settings(), locked={"allow_demo", "proxy_url", "proxy_pac_url"})
    qtbot.addWidget(dialog)
    dialog.show()
    switch = dialog.fields["allow_demo"].editor
    assert isinstance(switch, QCheckBox) and switch.isChecked() and not switch.isEnabled()
    assert switch.accessibleName() == "Allow the demo (rounds --demo)"
    pac = dialog.fields["proxy_pac_url"]
    assert not pac.editor.isEnabled()
    assert "Set by your IT department." in [label.text() for label in pac.findChildren(QLabel)]
    keep({"settings-dialog.png": dialog.grab()}, shots_folder("ROUNDS_POLICY_SHOTS"))


def test_an_unquoted_client_secret_is_scrubbed() -> None:
    line = scrub("LRS config client_secret: 9f8e7d6c5b4a and client_id: rounds")
    assert "9f8e7d6c5b4a" not in line and "client_id: rounds" in line
