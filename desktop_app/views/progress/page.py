"""The Progress page: the learner's record (courses, quiz attempts, time spent, residency
readiness), then uploads waiting, statements the server set aside and progress files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.progress import Pending, ProgressFileError, QuarantinedStatement
from desktop_app.views.file_dialogs import FileKind, ask_open_path, ask_save_path
from desktop_app.views.i18n import localized
from desktop_app.views.progress.folding import FoldingSection
from desktop_app.views.progress.learner import LearnerRecord, LearnerSection, fit_rows
from desktop_app.views.progress.models import REASON, QuarantineModel
from desktop_app.views.progress.quarantine import quarantine_row
from desktop_app.views.scrolled_page import fill_scrolled
from desktop_app.views.status_colours import BAD, GOOD, PLAIN, set_tone
from desktop_app.views.tables import button_row, table_for

QUARANTINE_ROWS_SHOWN = 6

SaveChooser = Callable[[QWidget, str, str], Path | None]
"""Asks where to save: (parent, dialog title, suggested file name) -> path, or None."""
OpenChooser = Callable[[QWidget, str], Path | None]
"""Asks which file to open: (parent, dialog title) -> path, or None."""


class UploadQueue(Protocol):
    """What the page asks of `desktop_app.progress.OutboxQueue`."""

    def pending(self) -> Pending: ...

    def quarantined(self) -> list[QuarantinedStatement]: ...

    def requeue_quarantined(self) -> int: ...


class ProgressFiles(Protocol):
    """What the page asks of `desktop_app.progress.ProgressExchange`."""

    def export_to(self, path: Path) -> int: ...

    def import_from(self, path: Path) -> int: ...

    def export_quarantine(self, path: Path) -> int: ...


def progress_files() -> FileKind:
    return FileKind(QCoreApplication.translate("ProgressPage", "Progress files"), ".json")


def ask_progress_save_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    return ask_save_path(parent, title, suggested, progress_files())


def ask_progress_open_path(parent: QWidget, title: str) -> Path | None:
    return ask_open_path(parent, title, progress_files())


@dataclass(frozen=True)
class FileDialogs:
    """The file choosers the page uses; tests pass their own."""

    save: SaveChooser = ask_progress_save_path
    open: OpenChooser = ask_progress_open_path


class ProgressPage(QWidget):
    """The learner's record first; the upload, set-aside statements and progress files in a
    "Sync" section below it, folded away until the learner opens it or the server sets
    something aside.

    Signals:
    sync_requested(): the learner pressed "Sync now".
    progress_imported(int): a progress file added this many statements to the log.
    """

    sync_requested = Signal()
    progress_imported = Signal(int)

    def __init__(
        self,
        queue: UploadQueue,
        files: ProgressFiles,
        runner: BackgroundRunner,
        *,
        learner: LearnerRecord | None = None,
        dialogs: FileDialogs | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue, self._files, self._runner = queue, files, runner
        self._learner = learner
        self._dialogs = dialogs or FileDialogs()
        self._busy = False
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.title = QLabel(self.tr("Your progress"), wordWrap=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.learner = LearnerSection()
        self.learner.setVisible(self._learner is not None)
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName(self.tr("Result"))
        self.sync_section = FoldingSection(self.tr("Sync and progress files"))
        for box in (self._upload_box(), self._quarantine_box(), self._files_box()):
            self.sync_section.body_layout.addWidget(box)
        self.sync_section.body_layout.addWidget(self.message)
        content = QWidget()
        layout = QVBoxLayout(content)
        for part in (self.title, self.learner, self.sync_section):
            layout.addWidget(part)
        layout.addStretch(1)
        fill_scrolled(self, content)

    def _upload_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Upload"))
        self.pending = QLabel(wordWrap=True)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(self.sync_requested.emit)
        row = QHBoxLayout(box)
        row.addWidget(self.pending, 1)
        row.addWidget(self.sync_button)
        return box

    def _quarantine_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Set aside by the server"))
        self.quarantine_note = QLabel(wordWrap=True)
        self.quarantine_model = QuarantineModel(self)
        self.quarantine_table = table_for(self.quarantine_model, REASON, multi=True, wrap=True)
        self.quarantine_table.setAccessibleName(self.tr("Statements set aside"))
        self.export_quarantine_button = QPushButton(self.tr("Export quarantine…"))
        self.export_quarantine_button.clicked.connect(self.export_quarantine)
        self.send_again_button = QPushButton(self.tr("Send again"))
        self.send_again_button.clicked.connect(self.send_again)
        layout = QVBoxLayout(box)
        layout.addWidget(self.quarantine_note)
        layout.addWidget(self.quarantine_table)
        layout.addLayout(button_row(self.export_quarantine_button, self.send_again_button))
        return box

    def _files_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Progress files"))
        note = QLabel(
            self.tr(
                "Carry your progress to a computer that is not online, or keep a copy: "
                "a progress file holds everything you did, and importing one adds what is new."
            ),
            wordWrap=True,
        )
        self.tamper_note = QLabel(  # its checksum finds damage; whoever edits can recompute it
            self.tr(
                "A progress file protects against damage, not against changes: anyone can edit it."
            ),
            wordWrap=True,
        )
        self.export_button = QPushButton(self.tr("Export progress…"))
        self.export_button.clicked.connect(self.export_progress)
        self.import_button = QPushButton(self.tr("Import progress…"))
        self.import_button.clicked.connect(self.import_progress)
        layout = QVBoxLayout(box)
        layout.addWidget(note)
        layout.addWidget(self.tamper_note)
        layout.addLayout(button_row(self.export_button, self.import_button))
        return box

    def refresh(self) -> None:
        """Read the record, the counts and the set-aside statements again (after a sync,
        an import or a lesson)."""
        if self._learner is not None:
            self.learner.show_overview(self._learner.overview())
        pending = localized(self._queue.pending().label())
        self.pending.setText(self.tr("{pending}.").format(pending=pending))
        rows = [quarantine_row(item) for item in self._queue.quarantined()]
        self.quarantine_model.set_rows(rows)
        self.quarantine_table.setVisible(bool(rows))
        if rows:
            fit_rows(self.quarantine_table, QUARANTINE_ROWS_SHOWN)
            self.sync_section.set_open(True)  # the learner should see what was refused
        self.quarantine_note.setText(self._quarantine_words(len(rows)))
        self._update_enabled()

    def set_syncing(self, syncing: bool) -> None:
        """While a sync runs, "Sync now" waits; the page refreshes when told it finished."""
        self.sync_button.setEnabled(not syncing)
        self.sync_button.setText(self.tr("Syncing…") if syncing else self.tr("Sync now"))

    def export_quarantine(self) -> None:
        title = self.tr("Export quarantine")
        path = self._dialogs.save(self, title, "rounds-quarantine.json")
        if path is not None:
            self._run(lambda: self._files.export_quarantine(path), self._exported)

    def send_again(self) -> None:
        """Offer the set-aside statements for upload again (after the server or proxy was fixed)."""
        self._run(self._queue.requeue_quarantined, self._requeued)

    def export_progress(self) -> None:
        path = self._dialogs.save(self, self.tr("Export progress"), "rounds-progress.json")
        if path is not None:
            self._run(lambda: self._files.export_to(path), self._exported)

    def import_progress(self) -> None:
        path = self._dialogs.open(self, self.tr("Import progress"))
        if path is not None:
            self._run(lambda: self._files.import_from(path), self._imported)

    def _run(self, job: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._busy = True
        self._update_enabled()
        self._show(self.tr("Working…"), PLAIN)
        self._runner.run(job, lambda value: self._finish(on_done, value), self._failed)

    def _finish(self, on_done: Callable[[Any], None], value: Any) -> None:
        self._busy = False
        on_done(value)
        self.refresh()

    def _exported(self, count: int) -> None:
        self._show(self.tr("Exported %n statements.", "", count), GOOD)

    def _requeued(self, count: int) -> None:
        self._show(self.tr("%n statements will be sent again at the next sync.", "", count), GOOD)

    def _imported(self, added: int) -> None:
        if added == 0:
            self._show(self.tr("Imported: everything in that file was already here."), GOOD)
            return
        self._show(self.tr("Imported %n new statements.", "", added), GOOD)
        self.progress_imported.emit(added)

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self._show(localized(_error_words(error)), BAD)
        self.refresh()

    def _show(self, text: str, tone: str) -> None:
        self.message.setText(text)
        set_tone(self.message, tone)

    def _update_enabled(self) -> None:
        has_quarantine = self.quarantine_model.rowCount() > 0
        self.export_quarantine_button.setEnabled(has_quarantine and not self._busy)
        self.send_again_button.setEnabled(has_quarantine and not self._busy)
        self.export_button.setEnabled(not self._busy)
        self.import_button.setEnabled(not self._busy)

    def _quarantine_words(self, count: int) -> str:
        if count == 0:
            return self.tr(
                "Nothing has been set aside: the server accepted everything it was sent."
            )
        return self.tr(
            "The server refused %n statements. They stay in your progress on this computer "
            "but are not sent again unless you press Send again. Export them for your "
            "administrator.",
            "",
            count,
        )


def _error_words(error: Exception) -> str:
    """A progress file's own complaint as it was made (a translatable message), else the
    sentence `describe` gives."""
    if isinstance(error, ProgressFileError):
        first = error.args[0] if error.args else None
        return first if isinstance(first, str) else str(error)
    return describe(error).message
