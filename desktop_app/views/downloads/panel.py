"""The downloads panel: total progress, each course and each file, with pause, resume, cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.downloads import DownloadState, QueueSnapshot
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.downloads.bridge import DownloadEvents, newly_finished
from desktop_app.views.downloads.columns import hold_columns, title_font
from desktop_app.views.downloads.dialogs import Confirm, ask_to_stop
from desktop_app.views.downloads.models import (
    column_samples,
    course_progress_model,
    job_column_samples,
    job_status_model,
    speed_words,
    time_left_words,
)
from desktop_app.views.i18n import format_size, localized
from desktop_app.views.status_colours import BAD, PLAIN, set_tone
from desktop_app.views.tables import button_row, table_for

PAUSABLE = {DownloadState.QUEUED, DownloadState.RUNNING}
RESUMABLE = {DownloadState.PAUSED, DownloadState.FAILED}
JobIds = Iterable[int] | None


class DownloadActions(Protocol):
    """What the panel asks of `desktop_app.downloads.DownloadManager`."""

    def pause(self, course_id: str | None = None, job_ids: JobIds = None) -> None: ...

    def resume(
        self, course_id: str | None = None, job_ids: Iterable[int] | None = None
    ) -> None: ...

    def cancel(
        self, course_id: str | None = None, job_ids: Iterable[int] | None = None
    ) -> None: ...

    def clear_finished(self) -> None: ...

    def snapshot(self) -> QueueSnapshot: ...


def total_words(snapshot: QueueSnapshot) -> str:
    """`74 MB of 120 MB · 4.1 MB/s · about 11 s left`."""
    if not snapshot.courses:
        return QCoreApplication.translate(
            "DownloadsPanel",
            "Nothing is downloading. Use “Download course” on a course page to study it offline.",
        )
    amount = QCoreApplication.translate("DownloadsPanel", "{done} of {size}").format(
        done=format_size(snapshot.bytes_done), size=format_size(snapshot.size)
    )
    parts = [
        amount,
        speed_words(snapshot.speed) if snapshot.active else "",
        time_left_words(snapshot.seconds_left) if snapshot.active else "",
    ]
    return " · ".join(part for part in parts if part)


class DownloadsPanel(QWidget):
    """Signals:
    course_finished(str): every file of this course has been downloaded.
    """

    course_finished = Signal(str)

    def __init__(
        self,
        actions: DownloadActions,
        events: DownloadEvents,
        runner: BackgroundRunner,
        *,
        confirm: Confirm = ask_to_stop,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._actions, self._runner, self._confirm = actions, runner, confirm
        self._snapshot = QueueSnapshot()
        self._build()
        events.snapshot_changed.connect(self.show_snapshot)
        self.show_snapshot(actions.snapshot())

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("Downloads"))
        title.setFont(title_font(title.font()))
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName(self.tr("Result"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(self._total_row())
        layout.addWidget(self._courses_box(), 2)
        layout.addWidget(self._files_box(), 3)
        layout.addWidget(self.message)
        self._hold_columns()

    def _total_row(self) -> QVBoxLayout:
        self.total_bar = QProgressBar()
        self.total_bar.setRange(0, 1000)
        self.total_bar.setAccessibleName(self.tr("All downloads"))
        self.total_label = QLabel(wordWrap=True)
        self.pause_all_button = self._button(self.tr("Pause all"), lambda: self._pause())
        self.resume_all_button = self._button(self.tr("Resume all"), lambda: self._resume())
        self.total_row = QWidget()
        row = QHBoxLayout(self.total_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.total_bar, 1)
        row.addWidget(self.pause_all_button)
        row.addWidget(self.resume_all_button)
        column = QVBoxLayout()
        column.addWidget(self.total_row)
        column.addWidget(self.total_label)
        return column

    def _courses_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Courses"))
        self.course_model = course_progress_model(self)
        self.course_table = table_for(self.course_model, 0, progress_column=1)
        self.course_table.setAccessibleName(self.tr("Courses downloading"))
        self.course_error = QLabel(wordWrap=True)
        set_tone(self.course_error, BAD)
        self.course_error.setAccessibleName(self.tr("Why the course stopped"))
        self.course_table.selectionModel().selectionChanged.connect(self._course_selected)
        self.pause_course_button = self._button(self.tr("Pause"), self._pause_course)
        self.resume_course_button = self._button(self.tr("Resume"), self._resume_course)
        self.cancel_course_button = self._button(self.tr("Cancel…"), self._cancel_course)
        self.clear_button = self._button(self.tr("Clear finished"), self._clear_finished)
        layout = QVBoxLayout(box)
        layout.addWidget(self.course_table)
        layout.addWidget(self.course_error)
        buttons = (self.clear_button, self.pause_course_button, self.resume_course_button)
        layout.addLayout(button_row(*buttons, self.cancel_course_button, leading=1))
        return box

    def _files_box(self) -> QGroupBox:
        self.files_box = QGroupBox(self.tr("Lessons"))
        self.job_model = job_status_model(self)
        self.job_table = table_for(self.job_model, 0, progress_column=1, multi=True)
        self.job_table.setAccessibleName(self.tr("Lessons downloading"))
        self.job_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.pause_files_button = self._button(self.tr("Pause"), self._pause_files)
        self.resume_files_button = self._button(self.tr("Resume"), self._resume_files)
        self.cancel_files_button = self._button(self.tr("Cancel…"), self._cancel_files)
        layout = QVBoxLayout(self.files_box)
        layout.addWidget(self.job_table)
        layout.addLayout(
            button_row(self.pause_files_button, self.resume_files_button, self.cancel_files_button)
        )
        return self.files_box

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    # -- showing -----------------------------------------------------------------------

    def show_snapshot(self, snapshot: QueueSnapshot) -> None:
        """Show the queue as it is now (connected to `DownloadEvents.snapshot_changed`)."""
        finished = newly_finished(self._snapshot, snapshot)
        self._snapshot = snapshot
        self.total_bar.setValue(round(snapshot.fraction * 1000))
        self.total_row.setVisible(bool(snapshot.courses))
        self.total_label.setText(total_words(snapshot))
        selected = self.selected_course()
        if self.course_model.set_rows(snapshot.courses):
            self._select_course(selected)
        self._show_files()
        for course_id in finished:
            self.course_finished.emit(course_id)

    def _select_course(self, course_id: str | None) -> None:
        row = self.course_model.row_of(course_id) if course_id else -1
        if row < 0 and self.course_model.rowCount():
            row = 0
        if row >= 0:
            self.course_table.selectRow(row)

    def _course_selected(self) -> None:
        self._show_files()

    def _show_files(self) -> None:
        course_id = self.selected_course()
        jobs = self._snapshot.jobs_of(course_id) if course_id else ()
        chosen = set(self.selected_jobs())
        if self.job_model.set_rows(jobs):
            for job_id in chosen:
                row = self.job_model.row_of(job_id)
                if row >= 0:
                    self.job_table.selectRow(row)
        course = self._snapshot.course(course_id) if course_id else None
        title = self.tr("Lessons of “{course}”").format(course=course.title) if course else ""
        self.files_box.setTitle(title or self.tr("Lessons"))
        self.course_error.setText(localized(course.error) if course else "")
        self.course_error.setVisible(bool(course and course.error))
        self._update_buttons()

    def selected_course(self) -> str | None:
        rows = self.course_table.selectionModel().selectedRows()
        return self.course_model.row_at(rows[0].row()).course_id if rows else None

    def selected_jobs(self) -> list[int]:
        rows = self.job_table.selectionModel().selectedRows()
        return [self.job_model.row_at(index.row()).job_id for index in rows]

    def _update_buttons(self) -> None:
        states = {job.state for job in self._snapshot.jobs}
        self.pause_all_button.setEnabled(bool(states & PAUSABLE))
        self.resume_all_button.setEnabled(bool(states & RESUMABLE))
        course_id = self.selected_course()
        mine = {job.state for job in self._snapshot.jobs_of(course_id)} if course_id else set()
        self.pause_course_button.setEnabled(bool(mine & PAUSABLE))
        self.resume_course_button.setEnabled(bool(mine & RESUMABLE))
        self.cancel_course_button.setEnabled(bool(mine - {DownloadState.DONE}))
        self.clear_button.setEnabled(
            any(c.state == DownloadState.DONE for c in self._snapshot.courses)
        )
        chosen = {self._job_state(job_id) for job_id in self.selected_jobs()}
        self.pause_files_button.setEnabled(bool(chosen & PAUSABLE))
        self.resume_files_button.setEnabled(bool(chosen & RESUMABLE))
        self.cancel_files_button.setEnabled(bool(chosen - {DownloadState.DONE}))

    def _job_state(self, job_id: int) -> DownloadState:
        return next(
            (job.state for job in self._snapshot.jobs if job.job_id == job_id), DownloadState.DONE
        )

    # -- actions -----------------------------------------------------------------------

    def _pause(self, course_id: str | None = None, job_ids: list[int] | None = None) -> None:
        self._run(lambda: self._actions.pause(course_id, job_ids))

    def _resume(self, course_id: str | None = None, job_ids: list[int] | None = None) -> None:
        self._run(lambda: self._actions.resume(course_id, job_ids))

    def _pause_course(self) -> None:
        self._pause(course_id=self.selected_course())

    def _resume_course(self) -> None:
        self._resume(course_id=self.selected_course())

    def _pause_files(self) -> None:
        self._pause(job_ids=self.selected_jobs())

    def _resume_files(self) -> None:
        self._resume(job_ids=self.selected_jobs())

    def _cancel_course(self) -> None:
        course = self._snapshot.course(self.selected_course() or "")
        if course is None:
            return
        question = self.tr(
            "Stop downloading “{course}”? Files already downloaded stay; "
            "partly downloaded files are deleted."
        ).format(course=course.title)
        if self._confirm(self, self.tr("Cancel download"), question):
            self._run(lambda: self._actions.cancel(course_id=course.course_id))

    def _cancel_files(self) -> None:
        job_ids = self.selected_jobs()
        question = self.tr(
            "Stop downloading %n selected files? Partly downloaded files are deleted.",
            "",
            len(job_ids),
        )
        if job_ids and self._confirm(self, self.tr("Cancel download"), question):
            self._run(lambda: self._actions.cancel(job_ids=job_ids))

    def _clear_finished(self) -> None:
        self._run(self._actions.clear_finished)

    def _run(self, action: Callable[[], None]) -> None:
        self.message.setText("")
        set_tone(self.message, PLAIN)
        self._runner.run(action, None, self._failed)

    def _failed(self, error: Exception) -> None:
        self.message.setText(localized(describe(error).message))
        set_tone(self.message, BAD)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the text size setting changed
            QTimer.singleShot(0, self, self._hold_columns)  # once the tables have the new font

    def _hold_columns(self) -> None:
        """Each column as wide as its widest likely text, so progress updates never move
        them; the title column takes the rest."""
        hold_columns(self.course_table, column_samples())
        hold_columns(self.job_table, job_column_samples())
