"""The learner's record on the Progress page: a one-line summary, then each course begun, the
quiz attempts and how ready each residency is, each a table (or a sentence when empty)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from desktop_app.progress.overview import LearnerOverview
from desktop_app.views.progress.learner_models import (
    COURSE_COMPLETION,
    COURSE_TITLE,
    QUIZ_TITLE,
    READINESS_TITLE,
    CourseProgressModel,
    QuizAttemptModel,
    ReadinessModel,
    duration_text,
)
from desktop_app.views.row_list import FrozenRowsModel
from desktop_app.views.tables import PROGRESS_WIDTH, table_for

MAX_ROWS_SHOWN = 8  # a longer table scrolls


class LearnerRecord(Protocol):
    """What the section asks of `desktop_app.progress.overview.LearnerProgress`."""

    def overview(self) -> LearnerOverview: ...


def heading(text: str) -> QLabel:
    """A section heading a little larger than the text, however large the text is set."""
    label = QLabel(text, wordWrap=True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


def fit_rows(table: QTableView, most: int = MAX_ROWS_SHOWN) -> None:
    """As tall as its rows, up to `most` of them (no empty band under a short table); no
    sideways scrolling: the title column gives way, and a cut cell shows its whole text in
    its tooltip."""
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.resizeRowsToContents()
    rows = table.verticalHeader()
    shown = min(table.model().rowCount(), most)
    height = sum(rows.sectionSize(row) for row in range(shown))
    frame = 2 * table.frameWidth()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + height + frame)


class LearnerSection(QWidget):
    """Courses, quiz attempts and residency readiness, read again by `show_overview`.
    Signal certificate_requested(str): save the certificate of the selected course (its id)."""

    certificate_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(wordWrap=True)
        self.courses = CourseProgressModel(self)
        self.attempts = QuizAttemptModel(self)
        self.readiness = ReadinessModel(self)
        self.courses_table = table_for(
            self.courses, COURSE_TITLE, progress_column=COURSE_COMPLETION
        )
        _widen_to_header(self.courses_table, COURSE_COMPLETION)
        self.attempts_table = table_for(self.attempts, QUIZ_TITLE)
        self.readiness_table = table_for(self.readiness, READINESS_TITLE)
        self.courses_table.setAccessibleName(self.tr("Your courses"))
        self.attempts_table.setAccessibleName(self.tr("Quiz attempts"))
        self.readiness_table.setAccessibleName(self.tr("Residency readiness"))
        for table in self._tables():
            table.horizontalHeader().installEventFilter(self)
        self.no_courses = QLabel(self.tr("You have not started a course yet."), wordWrap=True)
        self.no_attempts = QLabel(self.tr("You have not taken a quiz yet."), wordWrap=True)
        self.no_residencies = QLabel(self.tr("You are not enrolled in a residency."), wordWrap=True)
        self.certificate = QPushButton(self.tr("Save &certificate…"))
        self.certificate.setToolTip(
            self.tr("Save the certificate of the selected completed course")
        )
        self.certificate.clicked.connect(self._request_certificate)
        self.courses_table.selectionModel().currentChanged.connect(lambda *_: self._follow())
        self._layout()
        self._follow()

    def _selected_complete(self) -> str:
        """The id of the selected course if it is complete, else ""."""
        index = self.courses_table.currentIndex()
        if not index.isValid():
            return ""
        row = self.courses.row_at(index.row())
        return row.course_id if row.completed_at is not None else ""

    def _follow(self) -> None:
        self.certificate.setEnabled(bool(self._selected_complete()))

    def _request_certificate(self) -> None:
        course_id = self._selected_complete()
        if course_id:
            self.certificate_requested.emit(course_id)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        parts = (
            (self.tr("Courses"), self.no_courses, self.courses_table),
            (self.tr("Quiz attempts"), self.no_attempts, self.attempts_table),
            (self.tr("Residency readiness"), self.no_residencies, self.readiness_table),
        )
        for title, empty, table in parts:
            layout.addSpacing(6)
            layout.addWidget(heading(title))
            layout.addWidget(empty)
            layout.addWidget(table)
            if table is self.courses_table:
                layout.addWidget(self.certificate, 0, Qt.AlignmentFlag.AlignLeft)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:  # a table's header, at a new text size
            self._fit_to_text()
        return super().eventFilter(watched, event)

    def _fit_to_text(self) -> None:
        _widen_to_header(self.courses_table, COURSE_COMPLETION)
        for table in self._tables():
            if table.isVisibleTo(self):
                fit_rows(table)

    def _tables(self) -> tuple[QTableView, ...]:
        return (self.courses_table, self.attempts_table, self.readiness_table)

    def show_overview(self, overview: LearnerOverview) -> None:
        self.summary.setText(self._summary_words(overview))
        _fill(self.courses, self.courses_table, self.no_courses, overview.courses)
        self.certificate.setVisible(any(row.completed_at for row in overview.courses))
        self._follow()
        _fill(self.attempts, self.attempts_table, self.no_attempts, overview.attempts)
        _fill(self.readiness, self.readiness_table, self.no_residencies, overview.readiness)

    def _summary_words(self, overview: LearnerOverview) -> str:
        begun = len(overview.courses)
        if begun == 0:
            return self.tr("Your courses, quizzes and residencies appear here as you study.")
        begun_words = self.tr(
            "You have begun %n courses and completed {completed}.", "", begun
        ).format(completed=QLocale().toString(overview.courses_completed))
        if overview.time_spent_seconds <= 0:  # no lesson was closed yet: no time recorded
            return begun_words
        spent = self.tr("Time spent: {spent}.").format(
            spent=duration_text(overview.time_spent_seconds)
        )
        return f"{begun_words} {spent}"


def _widen_to_header(table: QTableView, column: int) -> None:
    """A fixed-width column at least as wide as its heading (in bold, as the style sheet may
    draw it) at the current text size, and never narrower than the bar it holds."""
    header = table.horizontalHeader()
    title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
    bold = QFont(header.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    wanted = metrics.horizontalAdvance(title) + 2 * metrics.height()
    header.resizeSection(column, max(PROGRESS_WIDTH, wanted))


def _fill[R](
    model: FrozenRowsModel[R], table: QTableView, empty: QLabel, rows: tuple[R, ...]
) -> None:
    model.set_rows(rows)
    table.setVisible(bool(rows))
    empty.setVisible(not rows)
    if rows:
        fit_rows(table)
