"""Settings are declared once and the dialog is built from the declarations: a wrong value is
explained by its field and nothing is saved; a right one is written; a locked one cannot be
changed; the learning record store's password goes to the keyring, or, with no keyring, one
sentence says it cannot be kept on this computer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QMenu, QSpinBox
from pytestqt.qtbot import QtBot

from desktop_app.config import Settings, load_settings, locked_values, save_settings, settings_path
from desktop_app.secret_store import SecretStore
from desktop_app.setting_specs import SETTING_SPECS, SettingError, checked_value, spec_named
from desktop_app.views.settings_dialog import SettingsDialog, lrs_secret

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
LRS = "https://lrs.hospital.example/xapi"


def dialog_for(qtbot: QtBot, settings: Settings, **more: object) -> SettingsDialog:
    dialog = SettingsDialog(settings, **more)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def line(dialog: SettingsDialog, name: str) -> QLineEdit:
    editor = dialog.fields[name].editor
    assert isinstance(editor, QLineEdit)
    return editor


def test_every_setting_is_declared_with_a_default_and_a_description() -> None:
    names = [spec.name for spec in SETTING_SPECS]
    assert len(names) == len(set(names))
    for spec in SETTING_SPECS:
        assert hasattr(Settings(), spec.name), spec.name
        assert spec.description.context == "settings"
    for wanted in ("server_url", "proxy_url", "ca_bundle", "language", "idle_lock_minutes"):
        assert wanted in names


@pytest.mark.parametrize(
    ("name", "entered"),
    [
        ("server_url", "learning.hospital.example"),
        ("server_url", ""),
        ("proxy_url", "ftp://proxy:21"),
        ("text_size_percent", 250),
        ("sync_interval_minutes", "soon"),
        ("ca_bundle", "/no/such/file.pem"),
        ("language", "fr"),
    ],
)
def test_a_wrong_value_is_refused_with_one_sentence(name: str, entered: object) -> None:
    with pytest.raises(SettingError) as refused:
        checked_value(spec_named(name), entered)
    sentence = str(refused.value.args[0])
    assert sentence.endswith(".") and sentence.count(". ") == 0


def test_a_policy_locks_only_lockable_settings_of_the_right_type(tmp_path: Path) -> None:
    save_settings(Settings(server_url="https://mine.example", sync_interval_minutes=5))
    policy = {"server_url": "https://it.example", "sync_interval_minutes": "often", "bogus": 1}
    assert locked_values(policy) == {"server_url": "https://it.example"}
    settings = load_settings(policy)
    assert settings.server_url == "https://it.example"
    assert settings.sync_interval_minutes == 5
    assert load_settings().server_url == "https://mine.example"


def test_the_dialog_has_a_field_for_each_declared_setting(qtbot: QtBot) -> None:
    dialog = dialog_for(qtbot, Settings())
    assert list(dialog.fields) == [spec.name for spec in SETTING_SPECS]
    for field in dialog.fields.values():
        assert field.editor.accessibleName()
    notes = [label.text() for label in dialog.findChildren(QLabel)]
    assert "A new language applies when Rounds starts again." in notes
    size = dialog.fields["text_size_percent"].editor
    assert isinstance(size, QSpinBox) and (size.minimum(), size.maximum()) == (100, 200)


def test_a_bad_address_is_explained_by_its_field_and_nothing_is_saved(qtbot: QtBot) -> None:
    dialog = dialog_for(qtbot, Settings())
    line(dialog, "server_url").setText("learning.hospital.example")
    line(dialog, "proxy_url").setText("http://proxy.hospital.example:3128")
    dialog.save()
    error = dialog.fields["server_url"].error
    assert error.isVisible() and "http://" in error.text()
    assert not dialog.fields["proxy_url"].error.isVisible()
    assert dialog.isVisible()
    assert not settings_path().exists()


def test_saving_writes_the_values_and_keeps_what_the_account_wrote(qtbot: QtBot) -> None:
    save_settings(Settings(username="ana", extra={"display_name": "Ana"}))
    dialog = dialog_for(qtbot, load_settings())
    line(dialog, "proxy_url").setText("http://proxy.hospital.example:3128")
    size = dialog.fields["idle_lock_minutes"].editor
    assert isinstance(size, QSpinBox)
    size.setValue(5)
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    written = json.loads(settings_path().read_text(encoding="utf-8"))
    assert written["proxy_url"] == "http://proxy.hospital.example:3128"
    assert written["idle_lock_minutes"] == 5
    assert (written["username"], written["extra"]) == ("ana", {"display_name": "Ana"})
    assert not dialog.isVisible()


def test_a_locked_setting_is_shown_but_cannot_be_changed(qtbot: QtBot) -> None:
    dialog = dialog_for(qtbot, Settings(), locked={"server_url"})
    assert not dialog.fields["server_url"].editor.isEnabled()
    assert dialog.fields["proxy_url"].editor.isEnabled()
    notes = [label.text() for label in dialog.fields["server_url"].findChildren(QLabel)]
    assert "Set by your IT department." in notes


def test_the_record_store_password_goes_to_the_keyring_not_the_file(qtbot: QtBot) -> None:
    dialog = dialog_for(qtbot, Settings())
    line(dialog, "lrs_endpoint").setText(LRS)
    line(dialog, "lrs_username").setText("rounds-ward-7")
    dialog.lrs_password.setText("s3cret-key")
    dialog.save()
    assert lrs_secret(LRS, "rounds-ward-7").load() == "s3cret-key"
    assert "s3cret-key" not in settings_path().read_text(encoding="utf-8")


def test_without_a_keyring_one_sentence_says_the_password_cannot_be_kept(qtbot: QtBot) -> None:
    def memory_only(endpoint: str, username: str) -> SecretStore:
        store = SecretStore(f"Rounds LRS {endpoint}", username)
        store.persistent = False
        return store

    dialog = dialog_for(qtbot, Settings(), secret_for=memory_only)
    assert not dialog.lrs_password.isEnabled()
    assert dialog.lrs_note.text() == (
        "This computer has no system keyring, so the password cannot be kept on this computer."
    )


def test_the_missing_password_message_names_a_place_that_exists(qtbot: QtBot) -> None:
    from desktop_app.sync.lrs import NO_LRS_PASSWORD
    from desktop_app.views.main_window import MainWindow

    assert "File → Settings…, under Learning record store password." in NO_LRS_PASSWORD
    window = MainWindow()
    qtbot.addWidget(window)
    menus = {
        menu.title().replace("&", ""): [a.text().replace("&", "") for a in menu.actions()]
        for menu in window.menuBar().findChildren(QMenu)
    }
    assert "Settings…" in menus["File"]
    dialog = dialog_for(qtbot, Settings())
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Learning record store password" in labels


def test_a_new_text_size_and_theme_apply_at_once(qtbot: QtBot, qapp: QApplication) -> None:
    from desktop_app.views.theme import apply_appearance

    apply_appearance(qapp, Settings())
    before = qapp.font().pointSizeF()
    dialog = dialog_for(qtbot, Settings())
    size = dialog.fields["text_size_percent"].editor
    theme = dialog.fields["theme"].editor
    assert isinstance(size, QSpinBox) and isinstance(theme, QComboBox)
    size.setValue(150)
    theme.setCurrentIndex(theme.findData("dark"))
    try:
        dialog.save()
        assert qapp.font().pointSizeF() == pytest.approx(before * 1.5, abs=0.1)
        assert qapp.palette().window().color().lightness() < 128
    finally:
        apply_appearance(qapp, Settings())


SPANISH_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS><TS version="2.1" language="es">
<context><name>settings</name>
<message><source>Enter an address that starts with http:// or https://.</source>
<translation>Introduzca una dirección que empiece por http:// o https://.</translation></message>
<message><source>Enter a whole number from {minimum} to {maximum}.</source>
<translation>Introduzca un número entero de {minimum} a {maximum}.</translation></message>
</context></TS>
"""


def test_a_field_says_what_is_wrong_in_the_window_language(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from PySide6.QtCore import QTranslator

    ts, qm = tmp_path / "es.ts", tmp_path / "es.qm"
    ts.write_text(SPANISH_TS, encoding="utf-8")
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    try:
        dialog = dialog_for(qtbot, Settings())
        line(dialog, "server_url").setText("learning.hospital.example")
        dialog.save()
        assert dialog.fields["server_url"].error.text() == (
            "Introduzca una dirección que empiece por http:// o https://."
        )
    finally:
        qapp.removeTranslator(translator)
