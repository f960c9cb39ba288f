"""The online courses to finish before the residency, each with its state and a button that
opens it: "Start" when not started, "Continue" when begun, "Review" when done."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from desktop_app.residency import PrerequisiteRow, PrerequisiteState
from desktop_app.views.status_colours import GOOD, PLAIN, WARN, set_tone

STATE_TONES = {
    PrerequisiteState.DONE: GOOD,
    PrerequisiteState.IN_PROGRESS: PLAIN,
    PrerequisiteState.NOT_STARTED: WARN,
    PrerequisiteState.NOT_AVAILABLE: PLAIN,
}


class PrerequisitesBox(QGroupBox):
    """Signals:
    continue_course(str): the learner chose to open a course (its id) to start, continue or
        review it.
    """

    continue_course = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Before the day: online courses"))
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(0, 1)
        self.buttons: dict[str, QPushButton] = {}
        self.states: dict[str, QLabel] = {}

    def show_rows(self, rows: Sequence[PrerequisiteRow]) -> None:
        self._clear()
        if not rows:
            none = self.tr("No online courses are required for this residency.")
            self._grid.addWidget(QLabel(none, wordWrap=True))
        for number, row in enumerate(rows):
            self._add_row(number, row)

    def _add_row(self, number: int, row: PrerequisiteRow) -> None:
        title = QLabel(row.title, wordWrap=True)
        state = QLabel(self.state_words(row), wordWrap=True)
        font = state.font()
        font.setBold(True)
        state.setFont(font)
        set_tone(state, STATE_TONES[row.state])
        self._grid.addWidget(title, number, 0)
        self._grid.addWidget(state, number, 1)
        self.states[row.course_id] = state
        action = self.action_words(row.state)
        if action:
            button = QPushButton(action)
            button.setToolTip(self.tr("Open “{title}” in Courses").format(title=row.title))
            button.setAccessibleDescription(row.title)
            button.clicked.connect(
                lambda _=False, cid=row.course_id: self.continue_course.emit(cid)
            )
            self._grid.addWidget(button, number, 2)
            self.buttons[row.course_id] = button

    def state_words(self, row: PrerequisiteRow) -> str:
        if row.state is PrerequisiteState.DONE:
            return self.tr("Done")
        if row.state is PrerequisiteState.IN_PROGRESS:
            percent = QLocale().toString(row.percent)
            return self.tr("{percent}% done").format(percent=percent)
        if row.state is PrerequisiteState.NOT_STARTED:
            return self.tr("Not started")
        return self.tr("Not available offline yet")

    def action_words(self, state: PrerequisiteState) -> str:
        """The button's word for a course in `state`; "" for a course not on this computer."""
        if state is PrerequisiteState.NOT_STARTED:
            return self.tr("Start")
        if state is PrerequisiteState.IN_PROGRESS:
            return self.tr("Continue")
        if state is PrerequisiteState.DONE:
            return self.tr("Review")
        return ""

    def _clear(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        self.states.clear()
