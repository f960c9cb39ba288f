"""The Review page: the due questions one at a time (choices, Check, the verdict, Next), and
a pause for each course's reviews.

The schedule is read on the window's background runner (`reading`): the page says it is
reading until the first reading arrives, and then keeps what it shows until the next one
does. Only the newest read is shown: one asked before an answer, a pause or another refresh
is dropped when it arrives. A question the learner is choosing or has just checked stays on
the page while it is still due (or until Next). An answer or a pause is written at once on the
UI thread, a single statement committed before its verdict shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.review import ReviewQueue, Schedule
from desktop_app.views.i18n import format_date_time, format_number, localized
from desktop_app.views.player.announce import announce
from desktop_app.views.review.question import ReviewQuestionBox
from desktop_app.views.review.reading import ReviewReading, read_review
from desktop_app.views.scrolled_page import fill_scrolled
from desktop_app.views.status_colours import BAD, PLAIN, set_tone


class ReviewPage(QWidget):
    """Signals:
    due_changed(int): how many questions are due now, after an answer, a pause or a reading.
    """

    due_changed = Signal(int)

    def __init__(
        self,
        queue: ReviewQueue,
        course_title: Callable[[str], str],
        runner: BackgroundRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue, self._course_title, self._runner = queue, course_title, runner
        self._reading: ReviewReading | None = None
        self._asked = self._delivered = 0  # reads asked for, and the last one that came back
        self._checked = False  # the question shown has its verdict
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
        self._show_reading_state()

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

    @property
    def reading(self) -> bool:
        """A read is on its way."""
        return self._delivered != self._asked

    def refresh(self) -> None:
        """Read the schedule again on a worker; the page shows it when it arrives."""
        self._asked += 1
        work = partial(read_review, self._queue, self._course_title)
        done, failed = partial(self._arrived, self._asked), partial(self._failed, self._asked)
        self._runner.run(work, done, failed, serial=False)

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again: what became due since shows (unless a read is already on its way)."""
        super().showEvent(event)
        if not event.spontaneous() and not self.reading:
            self.refresh()

    def _show_reading_state(self) -> None:
        self.summary.setText(self.tr("Reading your reviews…"))
        set_tone(self.summary, PLAIN)
        for widget in (self.check, self.next, self.pauses):
            widget.setVisible(False)

    def _arrived(self, asked: int, reading: ReviewReading) -> None:
        self._delivered = max(self._delivered, asked)
        if asked != self._asked:
            return  # an answer, a pause or a refresh since: a newer read is on its way
        self._reading = reading
        self._show_pauses(reading)
        if self._keeps_question(reading):
            self.summary.setText(self._due_text(len(reading.due)))
            set_tone(self.summary, "")
        else:
            self._show_question(reading, focus=self._focus_in_question())
        self.due_changed.emit(len(reading.due))

    def _failed(self, asked: int, error: Exception) -> None:
        self._delivered = max(self._delivered, asked)
        if asked == self._asked:
            self._show_error(error)

    def _show_error(self, error: Exception) -> None:
        self.summary.setText(localized(describe(error).message))
        set_tone(self.summary, BAD)

    def _keeps_question(self, reading: ReviewReading) -> bool:
        """The question shown stays if it has its verdict, or is still due (choices kept)."""
        if self.box is None:
            return False
        iri = self.box.question.iri
        return self._checked or any(i.question.iri == iri for i in reading.due)

    def _focus_in_question(self) -> bool:
        focus = QApplication.focusWidget()
        if focus is None or not self.isVisible():
            return False
        return focus in (self.check, self.next) or bool(self.box and self.box.isAncestorOf(focus))

    def next_question(self) -> None:
        """The next due question, with the focus on its first choice."""
        if self._reading is not None:
            self._show_question(self._reading, focus=True)

    def _show_question(self, reading: ReviewReading, *, focus: bool) -> None:
        if self.box is not None:
            self._question_area.removeWidget(self.box)
            self.box.deleteLater()
            self.box = None
        self._checked = False
        item = reading.due[0] if reading.due else None
        set_tone(self.summary, "")
        self.next.setVisible(False)
        self.check.setVisible(item is not None)
        if item is None:
            self.summary.setText(self._nothing_due(reading.schedule))
        else:
            self.summary.setText(self._due_text(len(reading.due)))
            course = reading.title(item.question.course_id)
            self.box = ReviewQuestionBox(item.question, course)
            self.box.group.buttonToggled.connect(self._update_check)
            self._question_area.addWidget(self.box)
            self._update_check()
        if focus:
            buttons = self.box.buttons() if self.box is not None else []
            (buttons[0] if buttons else self.summary).setFocus(Qt.FocusReason.OtherFocusReason)

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
        """Record the answer (a statement, uploaded with the rest of the progress), then count
        what is due again on a worker."""
        box, reading = self.box, self._reading
        if box is None or reading is None or not box.answer():
            return
        try:
            right = self._queue.answer(box.question, box.answer())
        except Exception as error:  # the cache refused the write: nothing was recorded
            self._show_error(error)
            return
        self._checked = True
        announce(box, box.show_result(right))
        self.check.setVisible(False)
        self.next.setVisible(True)
        self.next.setFocus(Qt.FocusReason.OtherFocusReason)
        self._reading = reading.answered(box.question.iri)
        left = len(self._reading.due)
        self.summary.setText(self._due_text(left))
        self.due_changed.emit(left)
        self.refresh()

    def select(self, choice_ids: list[str]) -> None:
        """Tick exactly `choice_ids` of the question shown (as a learner does by clicking)."""
        if self.box is not None:
            self.box.select(choice_ids)

    def _show_pauses(self, reading: ReviewReading) -> None:
        """One check box per course; the same courses again keep their boxes (and focus)."""
        courses = reading.schedule.courses()
        paused = reading.schedule.paused
        self.pauses.setVisible(bool(courses))
        if courses != list(self.pause_boxes):
            self._pause_boxes_for(courses, reading)
        for course_id, box in self.pause_boxes.items():
            box.blockSignals(True)
            box.setChecked(course_id in paused)
            box.blockSignals(False)

    def _pause_boxes_for(self, courses: list[str], reading: ReviewReading) -> None:
        while (item := self._pause_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.pause_boxes = {}
        for course_id in courses:
            title = reading.title(course_id)
            box = QCheckBox(self.tr("Pause reviews of {course}").format(course=title))
            box.toggled.connect(lambda on, c=course_id: self._set_paused(c, on))
            self._pause_layout.addWidget(box)
            self.pause_boxes[course_id] = box

    def _set_paused(self, course_id: str, paused: bool) -> None:
        try:
            (self._queue.pause if paused else self._queue.resume)(course_id)
        except Exception as error:  # the cache refused the write: the box goes back
            box = self.pause_boxes[course_id]
            box.blockSignals(True)
            box.setChecked(not paused)
            box.blockSignals(False)
            self._show_error(error)
            return
        self.refresh()
