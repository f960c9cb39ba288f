"""The settings dialog, built from the declarations in `desktop_app.setting_specs`: one field
per setting, the sentence that explains it beside it, and a sentence in the error colour by a
field whose value cannot be saved (then nothing is saved).

Theme and text size apply as soon as they are saved; the language when Rounds starts again
(the field says so); the rest from the next use. A setting a machine policy locks is shown but
cannot be changed. The learning record store's password goes to the system keyring, never to
the settings file; without a keyring, one sentence says it cannot be kept on this computer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import fields

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import Settings, load_settings, save_settings
from desktop_app.secret_store import SecretStore
from desktop_app.setting_specs import (
    SETTING_SPECS,
    SettingError,
    SettingKind,
    SettingSpec,
    checked_value,
)
from desktop_app.views.file_dialogs import FileKind, ask_open_path
from desktop_app.views.i18n import localized
from desktop_app.views.status_colours import BAD, set_tone

Editor = QLineEdit | QSpinBox | QComboBox | QCheckBox
SecretFor = Callable[[str, str], SecretStore]


def lrs_secret(endpoint: str, username: str) -> SecretStore:
    """The keyring entry the sync reads the learning record store's password from."""
    from desktop_app.sync.lrs import LrsConfig, lrs_secret_store

    return lrs_secret_store(LrsConfig(endpoint.strip(), username.strip()))


class SettingField(QWidget):
    """One declared setting: its editor, its note, and the sentence when its value is wrong."""

    def __init__(self, spec: SettingSpec, value: object, locked: bool) -> None:
        super().__init__()
        self.spec = spec
        self.editor = self._editor(spec, value)
        self.editor.setAccessibleName(localized(spec.description))
        self.editor.setEnabled(not locked)
        self.error = QLabel(wordWrap=True)
        set_tone(self.error, BAD)
        self.error.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._editor_row(locked))
        notes = [localized(spec.note)] if spec.note else []
        if locked:
            notes.append(QCoreApplication.translate("SettingField", "Set by your IT department."))
        for note in notes:
            column.addWidget(QLabel(note, wordWrap=True))
        column.addWidget(self.error)

    def _editor(self, spec: SettingSpec, value: object) -> Editor:
        if spec.kind == SettingKind.NUMBER:
            box = QSpinBox(minimum=spec.minimum, maximum=spec.maximum, singleStep=spec.step)
            box.setValue(int(str(value)))
            if spec.unit:
                box.setSuffix(" " + localized(spec.unit))
            return box
        if spec.kind == SettingKind.CHOICE:
            combo = QComboBox()
            for choice, label in spec.choices:
                combo.addItem(localized(label), choice)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if spec.kind == SettingKind.SWITCH:
            switch = QCheckBox()
            switch.setChecked(bool(value))
            return switch
        line = QLineEdit(str(value))
        line.setMinimumWidth(line.fontMetrics().averageCharWidth() * 40)
        if spec.kind in (SettingKind.URL, SettingKind.OPTIONAL_URL):
            line.setPlaceholderText("https://")
        return line

    def _editor_row(self, locked: bool) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.editor, 1)
        if self.spec.kind == SettingKind.FILE:
            choose = QPushButton(QCoreApplication.translate("SettingField", "Choose…"))
            choose.setAccessibleName(
                QCoreApplication.translate("SettingField", "Choose the certificate file")
            )
            choose.setEnabled(not locked)
            choose.clicked.connect(self._choose_file)
            row.addWidget(choose)
        return row

    def _choose_file(self) -> None:
        title = QCoreApplication.translate("SettingField", "Extra CA certificates")
        kind = FileKind(QCoreApplication.translate("SettingField", "PEM certificates"), ".pem")
        path = ask_open_path(self, title, kind)
        if path is not None and isinstance(self.editor, QLineEdit):
            self.editor.setText(str(path))

    def entered(self) -> object:
        editor = self.editor
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        return editor.text()

    def checked(self) -> object:
        """The value to save; raises SettingError after showing why by the field."""
        try:
            value = checked_value(self.spec, self.entered())
        except SettingError as error:
            self.error.setText(localized(error.args[0]))
            self.error.setVisible(True)
            raise
        self.error.setVisible(False)
        return value


class SettingsDialog(QDialog):
    """Signals:
    saved(Settings): the settings were written; the window applies what applies at once.
    """

    saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        *,
        locked: Collection[str] = (),
        secret_for: SecretFor = lrs_secret,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings, self._secret_for = settings, secret_for
        self.fields = {
            spec.name: SettingField(spec, getattr(settings, spec.name), spec.name in locked)
            for spec in SETTING_SPECS
        }
        self.lrs_password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.lrs_password.setAccessibleName(self.tr("Learning record store password"))
        self.lrs_note = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._show_secret_state()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for spec in SETTING_SPECS:
            label = QLabel(localized(spec.description))
            label.setBuddy(self.fields[spec.name].editor)
            form.addRow(label, self.fields[spec.name])
        form.addRow(self.tr("Learning record store password"), self.lrs_password)
        form.addRow("", self.lrs_note)
        content = QWidget()
        content.setLayout(form)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setAccessibleName(self.tr("Settings"))
        scroll.setWidget(content)
        column = QVBoxLayout(self)
        column.addWidget(scroll, 1)
        column.addWidget(self.buttons)
        bar = scroll.verticalScrollBar().sizeHint().width()
        self.resize(
            content.sizeHint().width() + bar + 40, min(content.sizeHint().height() + 80, 680)
        )

    def _show_secret_state(self) -> None:
        if not self._secret_store().persistent:
            self.lrs_password.setEnabled(False)
            self.lrs_note.setText(
                self.tr(
                    "This computer has no system keyring, so the password cannot be kept "
                    "on this computer."
                )
            )
        else:
            self.lrs_note.setText(self.tr("Kept in the system keyring; leave empty to keep it."))

    def _secret_store(self) -> SecretStore:
        endpoint, user = (self.fields[n].entered() for n in ("lrs_endpoint", "lrs_username"))
        return self._secret_for(str(endpoint), str(user))

    def changes(self) -> dict[str, object] | None:
        """The checked value of every field, or None when one is wrong (each says why)."""
        values: dict[str, object] = {}
        for name, field in self.fields.items():
            try:
                values[name] = field.checked()
            except SettingError:
                continue
        return values if len(values) == len(self.fields) else None

    def save(self) -> None:
        """Write the settings (nothing when a field is wrong); then `saved` and close."""
        changes = self.changes()
        if changes is None:
            return
        current = load_settings()  # what the account wrote since (username, display name)
        settings = current.with_changes(**_known(changes))
        save_settings(settings)
        password = self.lrs_password.text()
        if password and str(changes["lrs_endpoint"]):
            self._secret_store().save(password)
            self.lrs_password.clear()
        self._settings = settings
        apply_appearance(settings)
        self.saved.emit(settings)
        self.accept()


def _known(changes: dict[str, object]) -> dict[str, object]:
    names = {spec.name for spec in fields(Settings)}
    return {name: value for name, value in changes.items() if name in names}


def apply_appearance(settings: Settings) -> None:
    """Theme and text size on the whole app at once."""
    from desktop_app.views.theme import apply_appearance as apply

    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply(app, settings)
