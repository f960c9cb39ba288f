"""The Review page: the due questions one at a time (choices, Check, the verdict, Next), and
a pause for each course's reviews.

The schedule is read from the progress log when the page is refreshed (a few indexed queries
and an FSRS replay of the answers, milliseconds for a learner's whole history).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.review import ReviewItem, ReviewQueue, Schedule
from desktop_app.views.i18n import format_date_time, format_number
from desktop_app.views.player.announce import announce
from desktop_app.views.review.question import ReviewQuestionBox
from desktop_app.views.scrolled_page import fill_scrolled
from desktop_app.views.status_colours import set_tone


class ReviewPage(QWidget):
    """Signals:
    due_changed(int): how many questions are due now, after an answer, a pause or a refresh.
    """

    due_changed = Signal(int)

    def __init__(
        self,
        queue: ReviewQueue,
        course_title: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue, self._course_title = queue, course_title
        self.box: ReviewQuestionBox | None = None
        self.pause_boxes: dict[str, QCheckBox] = {}
        self.summary = QLabel(wordWrap=True)
        self.check = QPushButton(self.tr("&Check"))
        self.check.clicked.connect(self.check_answer)
        self.next = QPushButton(self.tr("&Next question"))
        self.next.clicked.connect(self.next_question)
        self.pauses = QGroupBox(self.tr("Reviews by course"))
        self._pause_layout = QVBoxLayout(self.pauses)
        self._question_area = QVBoxLayout()
        self._layout()

    def _layout(self) -> None:
        heading = QLabel(self.tr("Review"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.check)
        actions.addWidget(self.next)
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addLayout(self._question_area)
        layout.addLayout(actions)
        layout.addWidget(self.pauses)
        layout.addStretch(1)
        fill_scrolled(self, column)

    def refresh(self) -> None:
        """Read the schedule again and show the first due question, if any."""
        schedule = self._queue.schedule()
        due = schedule.due(self._queue.now())
        self._show_pauses(schedule)
        self._show_question(due[0] if due else None, len(due), schedule)
        self.due_changed.emit(len(due))

    def next_question(self) -> None:
        """The next due question, with the focus on its first choice."""
        self.refresh()
        buttons = self.box.buttons() if self.box is not None else []
        (buttons[0] if buttons else self.summary).setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_question(self, item: ReviewItem | None, due: int, schedule: Schedule) -> None:
        if self.box is not None:
            self._question_area.removeWidget(self.box)
            self.box.deleteLater()
            self.box = None
        set_tone(self.summary, "")
        self.next.setVisible(False)
        self.check.setVisible(item is not None)
        if item is None:
            self.summary.setText(self._nothing_due(schedule))
            return
        self.summary.setText(self._due_text(due))
        self.box = ReviewQuestionBox(item.question, self._course_title(item.question.course_id))
        self.box.group.buttonToggled.connect(self._update_check)
        self._question_area.addWidget(self.box)
        self._update_check()

    def _due_text(self, due: int) -> str:
        return self.tr("Questions due: {count}").format(count=format_number(due))

    def _nothing_due(self, schedule: Schedule) -> str:
        waiting = [i.due for i in schedule.items if i.question.course_id not in schedule.paused]
        if not waiting and schedule.items:
            return self.tr("Reviews are paused. Resume a course below to practise its questions.")
        if not waiting:
            return self.tr(
                "Nothing to review. The questions of the quizzes you pass come back here "
                "when it is time to practise them."
            )
        return self.tr("Nothing due now. The next question is due {when}.").format(
            when=format_date_time(min(waiting).astimezone())
        )

    def _update_check(self) -> None:
        self.check.setEnabled(self.box is not None and bool(self.box.answer()))

    def check_answer(self) -> None:
        """Record the answer (a statement, uploaded with the rest of the progress)."""
        if self.box is None or not self.box.answer():
            return
        right = self._queue.answer(self.box.question, self.box.answer())
        announce(self.box, self.box.show_result(right))
        self.check.setVisible(False)
        self.next.setVisible(True)
        self.next.setFocus(Qt.FocusReason.OtherFocusReason)
        left = self._queue.due_count()
        self.summary.setText(self._due_text(left))
        self.due_changed.emit(left)

    def select(self, choice_ids: list[str]) -> None:
        """Tick exactly `choice_ids` of the question shown (as a learner does by clicking)."""
        if self.box is not None:
            self.box.select(choice_ids)

    def _show_pauses(self, schedule: Schedule) -> None:
        while (item := self._pause_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.pause_boxes = {}
        courses = schedule.courses()
        self.pauses.setVisible(bool(courses))
        for course_id in courses:
            title = self._course_title(course_id)
            box = QCheckBox(self.tr("Pause reviews of {course}").format(course=title))
            box.setChecked(course_id in schedule.paused)
            box.toggled.connect(lambda on, c=course_id: self._set_paused(c, on))
            self._pause_layout.addWidget(box)
            self.pause_boxes[course_id] = box

    def _set_paused(self, course_id: str, paused: bool) -> None:
        if paused:
            self._queue.pause(course_id)
        else:
            self._queue.resume(course_id)
        self.refresh()
