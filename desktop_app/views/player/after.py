"""After a lesson: the way on to the next lesson of the course, and the panel that marks the
course's completion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.catalog.rows import LessonRow
from desktop_app.progress import LessonRef
from desktop_app.views.i18n import format_date
from desktop_app.views.player.announce import announce
from desktop_app.views.player.scaled_label import ScaledLabel

if TYPE_CHECKING:
    from desktop_app.catalog.library import CourseDetail

CourseLookup = Callable[[str], "CourseDetail | None"]
"""A course's modules and lessons in order, with completion (`Library.course`)."""

NEXT_LESSON_KEY = "Ctrl+Right"
COMPLETION_SCALE = 1.3
TITLE_CHARACTERS = 40  # of a next lesson's title on its button; the rest in the tooltip


def lessons_in_order(detail: CourseDetail) -> list[LessonRow]:
    return [lesson for module in detail.modules for lesson in module.lessons]


def next_lesson(detail: CourseDetail | None, lesson_id: str) -> LessonRow | None:
    """The lesson after `lesson_id` in the course's order, or None at the last (or when the
    lesson is no longer in the course)."""
    lessons = lessons_in_order(detail) if detail else []
    ids = [lesson.id for lesson in lessons]
    if lesson_id not in ids:
        return None
    index = ids.index(lesson_id) + 1
    return lessons[index] if index < len(lessons) else None


def course_complete(detail: CourseDetail | None) -> bool:
    return (
        detail is not None
        and detail.course.lesson_count > 0
        and all(lesson.completed for lesson in lessons_in_order(detail))
    )


class CourseCompletePanel(QFrame):
    """ "You completed <course>", the day, and the way back to the course.

    Signals:
    back_requested(): the learner pressed "Back to the course".
    """

    back_requested = Signal()

    def __init__(self, course_title: str, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("courseComplete")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#courseComplete { border: 2px solid palette(highlight);"
            " border-radius: 6px; background: palette(base); }"
            " QFrame#courseComplete QLabel { color: palette(text); }"
        )
        headline = self.tr("You completed {course}").format(course=course_title)
        self.headline = ScaledLabel(headline, scale=COMPLETION_SCALE, bold=True)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.day = QLabel(
            self.tr("Completed on {day}: every lesson of this course is done.").format(
                day=format_date(day)
            ),
            wordWrap=True,
        )
        self.back = QPushButton(self.tr("Back to the course"))
        self.back.clicked.connect(self.back_requested)
        self._layout()

    def _layout(self) -> None:
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.day)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 12, 16, 12)
        row.addLayout(text, 1)
        row.addWidget(self.back, 0, Qt.AlignmentFlag.AlignVCenter)


class NextLessonButton(QPushButton):
    """ "Next lesson: <title> ▶", the title elided to a bounded width, the whole in the tooltip."""

    def __init__(self, lesson: LessonRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        key = QKeySequence(NEXT_LESSON_KEY).toString(QKeySequence.SequenceFormat.NativeText)
        self.setAccessibleName(self.tr("Next lesson: {title}").format(title=lesson.title))
        self.setToolTip(self.tr("Next lesson: {title} ({key})").format(title=lesson.title, key=key))
        self._fit_text()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_text()

    def _fit_text(self) -> None:
        metrics = self.fontMetrics()
        room = metrics.averageCharWidth() * TITLE_CHARACTERS
        title = metrics.elidedText(self.lesson.title, Qt.TextElideMode.ElideRight, room)
        self.setText(self.tr("Next lesson: {title} ▶").format(title=title))


class AfterLesson(QWidget):
    """The row under a lesson with the next lesson's button (hidden at the last lesson), and
    `completion_place`, above the lesson, where the course's completion panel appears when
    completing this lesson completes the course.

    Signals:
    next_requested(LessonRow): the learner asked for the next lesson.
    back_requested(): the learner asked to go back to the course.
    """

    next_requested = Signal(LessonRow)
    back_requested = Signal()

    def __init__(
        self, lesson: LessonRef, course_of: CourseLookup | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._lesson, self._course_of = lesson, course_of
        detail = course_of(lesson.course_id) if course_of else None
        self._was_complete = course_complete(detail)
        following = next_lesson(detail, lesson.lesson_id)
        self.next_button = NextLessonButton(following) if following else None
        self.completion_place = QWidget()
        QVBoxLayout(self.completion_place).setContentsMargins(0, 0, 0, 6)
        self.completion_place.setVisible(False)
        self.panel: CourseCompletePanel | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 6, 0, 0)
        row.addStretch(1)
        if self.next_button is not None:
            row.addWidget(self.next_button)
            self.next_button.clicked.connect(self.request_next)
        self.setVisible(self.next_button is not None)

    def request_next(self) -> None:
        if self.next_button is not None:
            self.next_requested.emit(self.next_button.lesson)

    def lesson_completed(self) -> None:
        """Show the course's completion panel if this lesson completed the course."""
        if self._was_complete or self._course_of is None or self.panel is not None:
            return
        detail = self._course_of(self._lesson.course_id)
        if detail is None or not course_complete(detail):
            return
        self.panel = CourseCompletePanel(detail.course.title, date.today())
        self.panel.back_requested.connect(self.back_requested)
        layout = self.completion_place.layout()
        assert layout is not None
        layout.addWidget(self.panel)
        self.completion_place.setVisible(True)
        announce(self.panel, self.panel.headline.text())
