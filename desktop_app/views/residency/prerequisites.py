"""The online courses to finish before the residency, each with its state and "Continue"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from desktop_app.residency import PrerequisiteRow, PrerequisiteState

STATE_COLOURS = {
    PrerequisiteState.DONE: "#2e7d32",
    PrerequisiteState.IN_PROGRESS: "#1565c0",
    PrerequisiteState.NOT_STARTED: "#6d4c41",
    PrerequisiteState.NOT_AVAILABLE: "#777777",
}


class PrerequisitesBox(QGroupBox):
    """Signals:
    continue_course(str): the learner chose "Continue" on a course (its id).
    """

    continue_course = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Before the day: online courses", parent)
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(0, 1)
        self.buttons: dict[str, QPushButton] = {}
        self.states: dict[str, QLabel] = {}

    def show_rows(self, rows: Sequence[PrerequisiteRow]) -> None:
        self._clear()
        if not rows:
            self._grid.addWidget(QLabel("No online courses are required for this residency."))
        for number, row in enumerate(rows):
            self._add_row(number, row)

    def _add_row(self, number: int, row: PrerequisiteRow) -> None:
        title = QLabel(row.title, wordWrap=True)
        state = QLabel(row.label)
        state.setStyleSheet(f"color: {STATE_COLOURS[row.state]}; font-weight: 600;")
        self._grid.addWidget(title, number, 0)
        self._grid.addWidget(state, number, 1)
        self.states[row.course_id] = state
        if row.can_continue:
            button = QPushButton("Continue")
            button.setToolTip(f"Open “{row.title}” in Courses")
            button.clicked.connect(
                lambda _=False, cid=row.course_id: self.continue_course.emit(cid)
            )
            self._grid.addWidget(button, number, 2)
            self.buttons[row.course_id] = button

    def _clear(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        self.states.clear()
