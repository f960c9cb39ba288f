"""Help → Save diagnostics…: the learner picks where the zip for IT goes; it is written off the
UI thread (the logs take a second or so), then one box says where it is, or in one sentence why
it could not be written. It works before anyone signs in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.i18n import localized

log = logging.getLogger(__name__)
Chooser = Callable[[QWidget, Path], Path | None]


def suggested_path() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return Path(folder or Path.home()) / f"rounds-diagnostics-{stamp}.zip"


class DiagnosticsSaver(QObject):
    """Saves the diagnostics zip for `window`, with a runner of its own (no account needed)."""

    def __init__(self, window: QWidget, choose: Chooser | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._choose = choose or self.ask_for_file
        self._runner = BackgroundRunner(self)

    def ask_for_file(self, parent: QWidget, suggested: Path) -> Path | None:
        """A save dialog for the zip; None when the learner cancels."""
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, self.tr("Save diagnostics"), str(suggested), self.tr("Zip files (*.zip)")
        )
        return Path(chosen) if chosen else None

    def save(self) -> None:
        """Ask where, then write the zip there off the UI thread."""
        path = self._choose(self._window, suggested_path())
        if path is None:
            return
        from desktop_app.diagnostics import write_diagnostics

        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._runner.run(partial(write_diagnostics, path), self._saved, self._failed)

    def _saved(self, sentence: str) -> None:
        QApplication.restoreOverrideCursor()
        note = self.tr(
            "Send this file to your IT department. It holds no passwords or sign-in tokens."
        )
        self._tell(QMessageBox.Icon.Information, f"{localized(sentence)}\n\n{note}")

    def _failed(self, error: Exception) -> None:
        from desktop_app.diagnostics import DiagnosticsError

        QApplication.restoreOverrideCursor()
        if isinstance(error, DiagnosticsError):
            self._tell(QMessageBox.Icon.Warning, localized(error.message))
            return
        log.error("diagnostics could not be written", exc_info=error)
        text = self.tr("The diagnostics could not be saved; the details are in the log file.")
        self._tell(QMessageBox.Icon.Warning, text)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(
            icon, self.tr("Save diagnostics"), text, QMessageBox.StandardButton.Ok, self._window
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
