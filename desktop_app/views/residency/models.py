"""Qt item models over the residency rows (frozen dataclasses from desktop_app.residency)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop_app.residency import ResidencySummary, SessionRow
from desktop_app.views.row_list import ROW_ROLE, RowListModel

AnyIndex = QModelIndex | QPersistentModelIndex
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


class AgendaModel(QAbstractTableModel):
    """The sessions of one residency; the row object is under `ROW_ROLE`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SessionRow] = []

    def set_rows(self, rows: Sequence[SessionRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AGENDA_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if (
            horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(AGENDA_COLUMNS)
        ):
            return AGENDA_COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _cell(row, index.column())
        if role == ROW_ROLE:
            return row
        return None


def _cell(row: SessionRow, column: int) -> str | None:
    if column == VENUE_TIME:
        return row.venue.text
    if column == YOUR_TIME:
        return row.yours.text if row.yours is not None else ""
    if column == SESSION:
        return row.title
    if column == ROOM:
        return row.room
    if column == FACULTY:
        return ", ".join(row.faculty)
    return None
