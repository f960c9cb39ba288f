"""Qt item models over the residency rows (frozen dataclasses from desktop_app.residency)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from desktop_app.residency import ResidencySummary, SessionRow
from desktop_app.views.row_list import Column, FrozenRowsModel, RowListModel

PAST_COLOUR = QColor("#777777")


class ResidencyListModel(RowListModel[ResidencySummary]):
    """One row per residency, upcoming first; the row object is under `ROW_ROLE`."""

    def row_data(self, row: ResidencySummary, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            past = "  (past)" if row.past else ""
            return f"{row.title}{past}\n{row.venue_name}\n{row.when} (venue time)"
        if role == Qt.ItemDataRole.ForegroundRole and row.past:
            return QBrush(PAST_COLOUR)
        return None


AGENDA_COLUMNS = ("Time (venue)", "Your time", "Session", "Room", "Faculty")
VENUE_TIME, YOUR_TIME, SESSION, ROOM, FACULTY = range(len(AGENDA_COLUMNS))


class AgendaModel(FrozenRowsModel[SessionRow]):
    """The sessions of one residency; the row object is under `ROW_ROLE`."""

    def __init__(self, parent: QObject | None = None) -> None:
        columns = [
            Column[SessionRow](AGENDA_COLUMNS[VENUE_TIME], lambda row: row.venue.text),
            Column[SessionRow](
                AGENDA_COLUMNS[YOUR_TIME], lambda row: row.yours.text if row.yours else ""
            ),
            Column[SessionRow](AGENDA_COLUMNS[SESSION], lambda row: row.title),
            Column[SessionRow](AGENDA_COLUMNS[ROOM], lambda row: row.room),
            Column[SessionRow](AGENDA_COLUMNS[FACULTY], lambda row: ", ".join(row.faculty)),
        ]
        super().__init__(columns, lambda row: row.id, parent)
