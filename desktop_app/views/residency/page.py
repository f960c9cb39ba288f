"""One residency: where and when (venue time, and the learner's own), the agenda, the online
courses to finish first, check-in, the attendee badge and calendar export."""

from __future__ import annotations

import errno
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.residency import CheckInResult, ResidencyDesk, ResidencyDetail
from desktop_app.views.file_dialogs import FileKind, ask_save_path
from desktop_app.views.i18n import localized
from desktop_app.views.residency.badge_dialog import BadgeDialog
from desktop_app.views.residency.checkin_box import CheckInBox
from desktop_app.views.residency.header import ResidencyHeader
from desktop_app.views.residency.models import FACULTY, SESSION, YOUR_TIME, AgendaModel
from desktop_app.views.residency.prerequisites import PrerequisitesBox
from desktop_app.views.residency.reminders import SessionMarkButton
from desktop_app.views.scrolled_page import fill_scrolled
from desktop_app.views.status_colours import BAD, GOOD, set_tone
from desktop_app.views.tables import table_for

ChooseIcsPath = Callable[[QWidget, str], Path | None]
"""Asks where to save the calendar file: (parent, suggested file name) -> path, or None."""


def ask_ics_path(parent: QWidget, suggested: str) -> Path | None:
    calendar = FileKind(QCoreApplication.translate("ResidencyPage", "Calendar"), ".ics")
    title = QCoreApplication.translate("ResidencyPage", "Export agenda to calendar")
    return ask_save_path(parent, title, suggested, calendar)


def ics_file_name(title: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()
    return f"{stem or 'residency'}.ics"


class ResidencyPage(QWidget):
    """Signals:
    continue_course(str): the learner chose to continue a prerequisite course (its id).
    checked_in(CheckInResult): a check-in attempt finished (whatever its outcome).
    back_requested(): the learner asked for the list of residencies.
    """

    continue_course = Signal(str)
    checked_in = Signal(object)
    back_requested = Signal()

    def __init__(
        self,
        desk: ResidencyDesk,
        runner: BackgroundRunner,
        *,
        choose_ics_path: ChooseIcsPath = ask_ics_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk, self._runner, self._choose_ics_path = desk, runner, choose_ics_path
        self._detail: ResidencyDetail | None = None
        self._build()
        self.show_detail(None)

    def _build(self) -> None:
        self.back = QPushButton(self.tr("← All residencies"), flat=True)
        self.back.clicked.connect(self.back_requested.emit)
        self.header = ResidencyHeader()
        self.badge_button = QPushButton(self.tr("Show badge"))
        self.badge_button.clicked.connect(self.show_badge)
        self.export_button = QPushButton(self.tr("Export to calendar…"))
        self.export_button.clicked.connect(self.export_calendar)
        self.message = QLabel(wordWrap=True)
        self.agenda = AgendaModel(self)
        self.table = _agenda_table(self.agenda)
        self.table.setAccessibleName(self.tr("Agenda"))
        self.table.horizontalHeader().installEventFilter(self)
        self.mark_button = SessionMarkButton(self._desk, self.table)
        self.prerequisites = PrerequisitesBox()
        self.prerequisites.continue_course.connect(self.continue_course.emit)
        self.checkin = CheckInBox()
        self.checkin.check_in_requested.connect(self.check_in)
        self._layout()

    def _layout(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.badge_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.message, 1)
        lower = QHBoxLayout()  # no alignment: wrapped labels in the boxes get their height
        lower.addWidget(self.prerequisites, 1)
        lower.addWidget(self.checkin, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.header)
        layout.addLayout(actions)
        layout.addWidget(_bold(QLabel(self.tr("Agenda"))))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.mark_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(lower)
        layout.addStretch(0)
        fill_scrolled(self, content)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:  # the agenda's header, at a new text size
            _fit_columns(self.table)
        return super().eventFilter(watched, event)

    @property
    def residency_id(self) -> str:
        return self._detail.id if self._detail is not None else ""

    @property
    def detail(self) -> ResidencyDetail | None:
        return self._detail

    def show_detail(self, detail: ResidencyDetail | None) -> None:
        self._detail = detail
        self.setEnabled(detail is not None)
        if detail is None:
            self.agenda.set_rows([])
            return
        self.header.show_detail(detail)
        self.agenda.set_rows(detail.sessions)
        self.mark_button.show_residency(detail.id)
        self.table.setColumnHidden(YOUR_TIME, not detail.shows_your_time)
        _fit_rows(self.table)
        self.prerequisites.show_rows(detail.prerequisites)
        self.checkin.show_state(detail.window, detail.checkin, detail.timezone)
        self.badge_button.setEnabled(detail.badge is not None)
        self.badge_button.setToolTip(
            "" if detail.badge else self.tr("Your badge arrives with the next sync.")
        )

    def reload(self) -> None:
        """Reads the residency again (after a check-in or a sync)."""
        if self._detail is not None:
            self.show_detail(self._desk.detail(self._detail.id))

    def check_in(self, code: str) -> None:
        if self._detail is None:
            return
        residency_id = self._detail.id
        self.checkin.show_busy(True)
        # Network-bound, with two tiny writes the service serialises itself (SQLite waits
        # for a concurrent writer): it must not queue behind a long sync on the serial pool.
        self._runner.run(
            lambda: self._desk.check_in(residency_id, code),
            self._on_checked_in,
            self._on_check_in_failed,
            serial=False,
        )

    def _on_checked_in(self, result: CheckInResult) -> None:
        self.checkin.show_busy(False)
        if result.residency_id == self.residency_id:
            self.reload()
            self.checkin.show_result(result)
        self.checked_in.emit(result)

    def _on_check_in_failed(self, error: Exception) -> None:
        self.checkin.show_busy(False)
        self.reload()
        self.checkin.show_error(localized(describe(error).message))

    def show_badge(self) -> BadgeDialog | None:
        if self._detail is None or self._detail.badge is None:
            return None
        dialog = BadgeDialog(self._detail.badge, self)
        dialog.open()
        return dialog

    def export_calendar(self) -> Path | None:
        if self._detail is None:
            return None
        path = self._choose_ics_path(self, ics_file_name(self._detail.title))
        if path is None:
            return None
        try:
            saved = self._desk.export_ics(self._detail, path)
        except OSError as error:
            text = self.tr("Could not save the calendar file: {reason}").format(
                reason=self._why_not_saved(error)
            )
            self._say(text, ok=False)
            return None
        self._say(self.tr("Saved the agenda to {path}.").format(path=saved), ok=True)
        return saved

    def _why_not_saved(self, error: OSError) -> str:
        """The usual reasons in the learner's language; another, as the system words it."""
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return self.tr("you may not write to that folder.")
        if error.errno == errno.ENOSPC:
            return self.tr("the disk is full.")
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return self.tr("that folder no longer exists.")
        return error.strerror or str(error)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setText(text)
        set_tone(self.message, GOOD if ok else BAD)


def _bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _fit_rows(table: QTableView) -> None:
    """As tall as its rows (no empty band under a short agenda); a long one scrolls."""
    rows = table.verticalHeader().length()
    frame = 2 * table.frameWidth()
    table.setMaximumHeight(table.horizontalHeader().sizeHint().height() + rows + frame + 2)


def _fit_columns(table: QTableView) -> None:
    """The two columns that share the width (and wrap) never narrower than their headings,
    in the header's font at the current text size; the others fit their text already."""
    header = table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    model = header.model()
    titles = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in (SESSION, FACULTY)]
    padding = 2 * metrics.averageCharWidth()
    header.setMinimumSectionSize(max(metrics.horizontalAdvance(t) for t in titles) + padding)


def _agenda_table(model: AgendaModel) -> QTableView:
    """The session titles and the faculty share the width left by the times and rooms, and
    wrap; each row is as tall as its text, and the table as tall as its rows."""
    table = table_for(model, SESSION, multi=True, wrap=True)
    table.horizontalHeader().setSectionResizeMode(FACULTY, QHeaderView.ResizeMode.Stretch)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    rows.sectionResized.connect(lambda *_: _fit_rows(table))
    _fit_columns(table)
    return table
