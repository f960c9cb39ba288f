"""Asking the learner where to save a file, or which one to open, with the file kind's suffix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.views.i18n import localized


@dataclass(frozen=True)
class FileKind:
    """What the dialogs offer, e.g. `FileKind(translate("files", "Calendar"), ".ics")`: a name
    made with `desktop_app.text.translate` is shown in the window's language."""

    name: str
    suffix: str

    @property
    def dialog_filter(self) -> str:
        return f"{localized(self.name)} (*{self.suffix})"

    def with_suffix(self, path: Path) -> Path:
        """`path`, with the kind's suffix added when the learner typed none or another."""
        if path.suffix.lower() == self.suffix:
            return path
        return path.with_name(path.name + self.suffix)


def ask_save_path(parent: QWidget, title: str, suggested: str, kind: FileKind) -> Path | None:
    """Where to save (starting in the home folder), or None if the learner cancelled."""
    start = str(Path.home() / suggested)
    name, _filter = QFileDialog.getSaveFileName(parent, localized(title), start, kind.dialog_filter)
    return kind.with_suffix(Path(name)) if name else None


def ask_open_path(parent: QWidget, title: str, kind: FileKind) -> Path | None:
    """Which file to open, or None if the learner cancelled."""
    home, shown = str(Path.home()), localized(title)
    name, _filter = QFileDialog.getOpenFileName(parent, shown, home, kind.dialog_filter)
    return Path(name) if name else None
