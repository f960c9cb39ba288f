"""File → Import course package…: choose a package, import it off the UI thread, say how it
went in one message (a refused package says why and changes nothing)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.packages import CoursePackages, ImportResult, PackageError
from desktop_app.study import Study
from desktop_app.views.i18n import format_size, localized


class PackageImport(QObject):
    """Imports one course package for the window's account.

    Signals: `imported(ImportResult)` once the files are in the store."""

    imported = Signal(object)

    def __init__(self, parent: QWidget, runner: BackgroundRunner, packages: CoursePackages) -> None:
        super().__init__(parent)
        self._parent, self._runner, self._packages = parent, runner, packages
        self.message: QMessageBox | None = None

    @classmethod
    def for_study(cls, parent: QWidget, runner: BackgroundRunner, study: Study) -> PackageImport:
        return cls(parent, runner, CoursePackages.of(study.account, study.store))

    def choose_and_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._parent,
            self.tr("Import course package"),
            "",
            self.tr("Course packages (*.zip);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        work = partial(self._packages.import_file, path)
        self._runner.run(work, self._done, self._failed)

    def _done(self, result: ImportResult) -> None:
        size = format_size(result.bytes_added)
        if result.listed:
            text = self.tr("“{title}” is downloaded on this computer ({size} added).")
        else:
            text = self.tr(
                "The files of “{title}” are on this computer ({size} added). The course "
                "appears in your catalog once the server lists it for you."
            )
        self._tell(QMessageBox.Icon.Information, text.format(title=result.course_title, size=size))
        self.imported.emit(result)

    def _failed(self, error: Exception) -> None:
        message = error.message if isinstance(error, PackageError) else describe(error).message
        why = self.tr("The course package was not imported. {reason}")
        self._tell(QMessageBox.Icon.Warning, why.format(reason=localized(message)))

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        title = self.tr("Import course package")
        self.message = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._parent)
        self.message.open()
