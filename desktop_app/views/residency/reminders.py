"""The agenda's "Remind me of this session" button; the timer and the notifications are
`desktop_app.views.reminders`'."""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTableView

from desktop_app.residency.rows import SessionRow
from desktop_app.views.row_list import ROW_ROLE

log = logging.getLogger(__name__)


class ReminderMarks(Protocol):
    """The sessions marked for a reminder (`ResidencyDesk`)."""

    @property
    def can_mark(self) -> bool: ...

    def marked(self, residency_id: str) -> frozenset[str]: ...

    def set_marked(self, residency_id: str, session_id: str, marked: bool) -> None: ...


class SessionMarkButton(QPushButton):
    """ "Remind me of this session": marks the agenda's selected session for a reminder
    10 minutes before it starts (the scheduler, which wakes each minute, picks it up)."""

    def __init__(self, marks: ReminderMarks, table: QTableView) -> None:
        super().__init__()
        self._marks, self._table = marks, table
        self._residency_id = ""
        self.setCheckable(True)
        self.setText(self.tr("&Remind me of this session"))
        self.setAccessibleName(self.tr("Remind me 10 minutes before the selected session"))
        self.setToolTip(self.tr("A reminder 10 minutes before the selected session (Alt+R)"))
        self.clicked.connect(self._toggle)
        self.setEnabled(False)

    def show_residency(self, residency_id: str) -> None:
        self._residency_id = residency_id
        selection = self._table.selectionModel()
        if selection is not None:
            selection.currentRowChanged.connect(self._follow, Qt.ConnectionType.UniqueConnection)
        self._follow()

    def _selected(self) -> SessionRow | None:
        index = self._table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, SessionRow) else None

    def _follow(self) -> None:
        row = self._selected()
        self.setEnabled(row is not None and self._marks.can_mark)
        marked = row is not None and row.id in self._marks.marked(self._residency_id)
        self.setChecked(marked)

    def _toggle(self, checked: bool) -> None:
        row = self._selected()
        if row is None:
            return
        try:
            self._marks.set_marked(self._residency_id, row.id, checked)
        except OSError as error:
            log.warning("Could not save the marked session: %s", error)
            self.setChecked(not checked)
