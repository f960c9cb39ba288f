"""The storage page: space each downloaded course takes, and removing downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.downloads import Removal, StorageReport, StorageService
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.downloads.columns import title_font
from desktop_app.views.downloads.dialogs import Confirm, ask_to_confirm
from desktop_app.views.downloads.models import storage_model
from desktop_app.views.i18n import format_size, localized
from desktop_app.views.status_colours import BAD, GOOD, PLAIN, set_tone
from desktop_app.views.tables import button_row, table_for


def usage_words(report: StorageReport, floor_bytes: int) -> str:
    """`Downloads use 1.2 GB (…). 34 GB is free on this disk; 500 MB is always kept free.`"""
    free_bytes = format_size(report.free_bytes)
    if floor_bytes:
        free = QCoreApplication.translate(
            "StoragePage", "{free} is free on this disk; {floor} is always kept free."
        ).format(free=free_bytes, floor=format_size(floor_bytes))
    else:
        free = QCoreApplication.translate("StoragePage", "{free} is free on this disk.").format(
            free=free_bytes
        )
    if not report.courses:
        return " ".join(
            (QCoreApplication.translate("StoragePage", "No course is downloaded."), free)
        )
    used = QCoreApplication.translate(
        "StoragePage", "Downloads use {size} (a file shared by several courses is counted once)."
    )
    return " ".join((used.format(size=format_size(report.total_bytes)), free))


def removal_words(removal: Removal, title: str) -> str:
    """What a removal freed; `title` is the course's, "" when every download was removed."""
    freed = format_size(removal.bytes_freed)
    if title:
        done = QCoreApplication.translate(
            "StoragePage", "Removed the downloads of “{course}”: {size} freed."
        )
        words = done.format(course=title, size=freed)
    else:
        words = QCoreApplication.translate(
            "StoragePage", "Removed all downloads: {size} freed."
        ).format(size=freed)
    if removal.files_kept:
        kept = QCoreApplication.translate(
            "StoragePage", "%n shared files stay for other courses.", "", removal.files_kept
        )
        words = " ".join((words, kept))
    return words


class StoragePage(QWidget):
    """Signals:
    downloads_removed(str): downloads of this course were removed ("" for all courses).
    """

    downloads_removed = Signal(str)

    def __init__(
        self,
        storage: StorageService,
        runner: BackgroundRunner,
        *,
        floor_bytes: int = 0,
        confirm: Confirm = ask_to_confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._storage, self._runner, self._confirm = storage, runner, confirm
        self._floor = floor_bytes
        self._busy = False
        self._build()
        self.refresh()

    def _build(self) -> None:
        title = QLabel(self.tr("Storage"))
        title.setFont(title_font(title.font()))
        self.summary = QLabel(self.tr("Measuring…"), wordWrap=True)
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName(self.tr("Result"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self._courses_box(), 1)
        layout.addWidget(self.message)

    def _courses_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Downloaded courses"))
        self.model = storage_model(self)
        self.table = table_for(self.model, 0)
        self.table.setAccessibleName(self.tr("Downloaded courses"))
        self.table.selectionModel().selectionChanged.connect(self._update_enabled)
        self.remove_button = QPushButton(self.tr("Remove downloads…"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_all_button = QPushButton(self.tr("Remove all downloads…"))
        self.remove_all_button.clicked.connect(self.remove_all)
        keeps_progress = self.tr(
            "Removing downloads frees disk space only: your progress and quiz results stay, and "
            "a file another downloaded course uses is kept. Removed lessons can be downloaded "
            "again."
        )
        note = QLabel(keeps_progress, wordWrap=True)
        set_tone(note, PLAIN)
        layout = QVBoxLayout(box)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addLayout(button_row(self.remove_all_button, self.remove_button, leading=1))
        return box

    def refresh(self) -> None:
        """Measure again (after downloads finish or files are removed)."""
        self._run(self._storage.report, self._show_report)

    def _show_report(self, report: StorageReport) -> None:
        self.summary.setText(usage_words(report, self._floor))
        selected = self.selected_course()
        self.model.set_rows(report.courses)
        row = self.model.row_of(selected) if selected else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update_enabled()

    def selected_course(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).course_id if rows else None

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        usage = self.model.row_at(rows[0].row())
        question = self.tr(
            "Remove the downloaded files of “{course}” ({size})? Your progress is kept."
        ).format(course=usage.title, size=format_size(usage.stored_bytes))
        if self._confirm(self, self.tr("Remove downloads"), question):
            self._run(
                lambda: self._storage.remove_course(usage.course_id),
                lambda removal: self._removed(removal, usage.course_id, usage.title),
            )

    def remove_all(self) -> None:
        question = self.tr("Remove every downloaded file of every course? Your progress is kept.")
        if self._confirm(self, self.tr("Remove all downloads"), question):
            self._run(self._storage.remove_all, lambda removal: self._removed(removal, "", ""))

    def _removed(self, removal: Removal, course_id: str, title: str) -> None:
        self._show(removal_words(removal, title), GOOD)
        self.downloads_removed.emit(course_id)
        self.refresh()

    def _run(self, job: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._busy = True
        self._update_enabled()
        self._runner.run(job, lambda value: self._finish(on_done, value), self._failed)

    def _finish(self, on_done: Callable[[Any], None], value: Any) -> None:
        self._busy = False
        on_done(value)
        self._update_enabled()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self._show(localized(describe(error).message), BAD)
        self._update_enabled()

    def _show(self, text: str, tone: str) -> None:
        self.message.setText(text)
        set_tone(self.message, tone)

    def _update_enabled(self) -> None:
        has_rows = self.model.rowCount() > 0
        chosen = bool(self.table.selectionModel().selectedRows())
        self.remove_button.setEnabled(chosen and not self._busy)
        self.remove_all_button.setEnabled(has_rows and not self._busy)
