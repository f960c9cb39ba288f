"""The quarantine list as a Qt table model over frozen `QuarantineRow`s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop_app.views.progress.quarantine import QuarantineRow

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("When", "Activity", "Lesson", "Why the server refused it")
WHEN, VERB, LESSON, REASON = range(len(COLUMNS))


def local_time(row: QuarantineRow) -> str:
    return row.occurred_at.astimezone().strftime("%d %b %Y %H:%M")


class QuarantineModel(QAbstractTableModel):
    """Statements set aside, oldest first; the row object is under `ROW_ROLE`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[QuarantineRow] = []

    def set_rows(self, rows: Sequence[QuarantineRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> QuarantineRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, index.column())
        if role == ROW_ROLE:
            return row
        return None

    @staticmethod
    def _text(row: QuarantineRow, column: int) -> str:
        return (local_time(row), row.verb, row.lesson, row.reason)[column]
