"""The Progress page: uploads waiting, statements the server set aside, progress files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.progress import Pending, ProgressFileError, QuarantinedStatement
from desktop_app.views.file_dialogs import FileKind, ask_open_path, ask_save_path
from desktop_app.views.progress.models import REASON, QuarantineModel
from desktop_app.views.progress.quarantine import quarantine_row
from desktop_app.views.status_colours import BAD, GOOD, PLAIN
from desktop_app.views.tables import button_row, table_for

PROGRESS_FILES = FileKind("Progress files", ".json")
QUARANTINE_BOX, TRAILING_SPACE = 2, 5  # places in the page's layout that take spare height

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


def ask_progress_save_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    return ask_save_path(parent, title, suggested, PROGRESS_FILES)


def ask_progress_open_path(parent: QWidget, title: str) -> Path | None:
    return ask_open_path(parent, title, PROGRESS_FILES)


@dataclass(frozen=True)
class FileDialogs:
    """The file choosers the page uses; tests pass their own."""

    save: SaveChooser = ask_progress_save_path
    open: OpenChooser = ask_progress_open_path


def statements(count: int, kind: str = "") -> str:
    return f"{count:,} {kind}statement" + ("" if count == 1 else "s")


class ProgressPage(QWidget):
    """Signals:
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
        dialogs: FileDialogs | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue, self._files, self._runner = queue, files, runner
        self._dialogs = dialogs or FileDialogs()
        self._busy = False
        self._build()
        self.refresh()

    def _build(self) -> None:
        title = QLabel("Progress")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName("Result")
        self._layout = QVBoxLayout(self)
        for part in (title, self._upload_box(), self._quarantine_box(), self._files_box()):
            self._layout.addWidget(part)
        self._layout.addWidget(self.message)
        self._layout.addStretch(1)

    def _upload_box(self) -> QGroupBox:
        box = QGroupBox("Upload")
        self.pending = QLabel(wordWrap=True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(self.sync_requested.emit)
        row = QHBoxLayout(box)
        row.addWidget(self.pending, 1)
        row.addWidget(self.sync_button)
        return box

    def _quarantine_box(self) -> QGroupBox:
        box = QGroupBox("Set aside by the server")
        self.quarantine_note = QLabel(wordWrap=True)
        self.quarantine_model = QuarantineModel(self)
        self.quarantine_table = table_for(self.quarantine_model, REASON, multi=True, wrap=True)
        self.export_quarantine_button = QPushButton("Export quarantine…")
        self.export_quarantine_button.clicked.connect(self.export_quarantine)
        self.send_again_button = QPushButton("Send again")
        self.send_again_button.clicked.connect(self.send_again)
        layout = QVBoxLayout(box)
        layout.addWidget(self.quarantine_note)
        layout.addWidget(self.quarantine_table, 1)
        layout.addLayout(button_row(self.export_quarantine_button, self.send_again_button))
        return box

    def _files_box(self) -> QGroupBox:
        box = QGroupBox("Progress files")
        note = QLabel(
            "Carry your progress to a computer that is not online, or keep a copy: "
            "a progress file holds everything you did, and importing one adds what is new.",
            wordWrap=True,
        )
        self.tamper_note = QLabel(  # its checksum finds damage; whoever edits can recompute it
            "A progress file protects against damage, not against changes: anyone can edit it.",
            wordWrap=True,
        )
        self.export_button = QPushButton("Export progress…")
        self.export_button.clicked.connect(self.export_progress)
        self.import_button = QPushButton("Import progress…")
        self.import_button.clicked.connect(self.import_progress)
        layout = QVBoxLayout(box)
        layout.addWidget(note)
        layout.addWidget(self.tamper_note)
        layout.addLayout(button_row(self.export_button, self.import_button))
        return box

    def refresh(self) -> None:
        """Read the counts and the set-aside statements again (after a sync or an import)."""
        self.pending.setText(f"{self._queue.pending().label()}.")
        rows = [quarantine_row(item) for item in self._queue.quarantined()]
        self.quarantine_model.set_rows(rows)
        self.quarantine_table.resizeRowsToContents()
        self.quarantine_table.setVisible(bool(rows))
        self._layout.setStretch(QUARANTINE_BOX, 1 if rows else 0)
        self._layout.setStretch(TRAILING_SPACE, 0 if rows else 1)
        self.quarantine_note.setText(_quarantine_words(len(rows)))
        self._update_enabled()

    def set_syncing(self, syncing: bool) -> None:
        """While a sync runs, "Sync now" waits; the page refreshes when told it finished."""
        self.sync_button.setEnabled(not syncing)
        self.sync_button.setText("Syncing…" if syncing else "Sync now")

    def export_quarantine(self) -> None:
        path = self._dialogs.save(self, "Export quarantine", "rounds-quarantine.json")
        if path is not None:
            self._run(lambda: self._files.export_quarantine(path), self._exported)

    def send_again(self) -> None:
        """Offer the set-aside statements for upload again (after the server or proxy was fixed)."""
        self._run(self._queue.requeue_quarantined, self._requeued)

    def export_progress(self) -> None:
        path = self._dialogs.save(self, "Export progress", "rounds-progress.json")
        if path is not None:
            self._run(lambda: self._files.export_to(path), self._exported)

    def import_progress(self) -> None:
        path = self._dialogs.open(self, "Import progress")
        if path is not None:
            self._run(lambda: self._files.import_from(path), self._imported)

    def _run(self, job: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._busy = True
        self._update_enabled()
        self._show("Working…", PLAIN)
        self._runner.run(job, lambda value: self._finish(on_done, value), self._failed)

    def _finish(self, on_done: Callable[[Any], None], value: Any) -> None:
        self._busy = False
        on_done(value)
        self.refresh()

    def _exported(self, count: int) -> None:
        self._show(f"Exported {statements(count)}.", GOOD)

    def _requeued(self, count: int) -> None:
        self._show(f"{statements(count)} will be sent again at the next sync.", GOOD)

    def _imported(self, added: int) -> None:
        if added == 0:
            self._show("Imported: everything in that file was already here.", GOOD)
            return
        self._show(f"Imported {statements(added, 'new ')}.", GOOD)
        self.progress_imported.emit(added)

    def _failed(self, error: Exception) -> None:
        self._busy = False
        text = str(error) if isinstance(error, ProgressFileError) else describe(error).message
        self._show(text, BAD)
        self.refresh()

    def _show(self, text: str, tone: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(tone)

    def _update_enabled(self) -> None:
        has_quarantine = self.quarantine_model.rowCount() > 0
        self.export_quarantine_button.setEnabled(has_quarantine and not self._busy)
        self.send_again_button.setEnabled(has_quarantine and not self._busy)
        self.export_button.setEnabled(not self._busy)
        self.import_button.setEnabled(not self._busy)


def _quarantine_words(count: int) -> str:
    if count == 0:
        return "Nothing has been set aside: the server accepted everything it was sent."
    return (
        f"The server refused {statements(count)}. They stay in your progress on this "
        "computer but are not sent again unless you press Send again. Export them for your "
        "administrator."
    )
