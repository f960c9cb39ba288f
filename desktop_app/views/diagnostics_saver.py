"""Help → Save diagnostics…: the learner picks where the zip for IT goes; one box then says
where it is, or in one sentence why it could not be written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from desktop_app.views.i18n import localized

Chooser = Callable[[QWidget, Path], Path | None]


def ask_for_file(parent: QWidget, suggested: Path) -> Path | None:
    """A save dialog for the zip; None when the learner cancels."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("SaveDiagnostics", "Save diagnostics"),
        str(suggested),
        QCoreApplication.translate("SaveDiagnostics", "Zip files (*.zip)"),
    )
    return Path(chosen) if chosen else None


def suggested_path() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return Path(folder or Path.home()) / f"rounds-diagnostics-{stamp}.zip"


def save_diagnostics(parent: QWidget, choose: Chooser = ask_for_file) -> QMessageBox | None:
    """Ask where, write the zip there, and open a box saying what became of it (returned,
    so that a test can read it); None when the learner cancelled."""
    path = choose(parent, suggested_path())
    if path is None:
        return None
    from desktop_app.diagnostics import DiagnosticsError, write_diagnostics

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        saved = localized(write_diagnostics(path))
    except DiagnosticsError as error:
        return _tell(parent, QMessageBox.Icon.Warning, localized(error.message))
    finally:
        QApplication.restoreOverrideCursor()
    note = QCoreApplication.translate(
        "SaveDiagnostics",
        "Send this file to your IT department. It holds no passwords or sign-in tokens.",
    )
    return _tell(parent, QMessageBox.Icon.Information, f"{saved}\n\n{note}")


def _tell(parent: QWidget, icon: QMessageBox.Icon, text: str) -> QMessageBox:
    box = QMessageBox(
        icon,
        QCoreApplication.translate("SaveDiagnostics", "Save diagnostics"),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
