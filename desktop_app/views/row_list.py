"""Qt list and table models over frozen row objects."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.views.i18n import localized

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 2  # 0..1 in a progress column, else None


class HasId(Protocol):
    @property
    def id(self) -> str: ...


class RowListModel[R: HasId](QAbstractListModel):
    """One row per object; the object itself is under `ROW_ROLE`. Subclasses say what shows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def index_of(self, row_id: str) -> QModelIndex:
        for number, row in enumerate(self._rows):
            if row.id == row_id:
                return self.index(number, 0)
        return QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        return row if role == ROW_ROLE else self.row_data(row, role)

    def row_data(self, row: R, role: int) -> Any:
        """What `row` shows for `role` (None for nothing)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Column[Row]:
    """One column of a `FrozenRowsModel`. The header and the texts may be made with
    `desktop_app.text.translate` (a module's columns are built before a translator is
    installed): the model shows them in the window's language."""

    header: str
    text: Callable[[Row], str]
    fraction: Callable[[Row], float] | None = None
    align_right: bool = False
    tooltip: Callable[[Row], str] | None = None


class FrozenRowsModel[Row](QAbstractTableModel):
    """A table of frozen rows; the row object is under `ROW_ROLE`."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        key: Callable[[Row], Hashable],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> bool:
        """Show `rows`; returns True if the model was reset (other items than before)."""
        if [self._key(r) for r in rows] == [self._key(r) for r in self._rows] and rows:
            self._rows = list(rows)
            last = self.index(len(rows) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return False
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        return True

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def key_at(self, row: int) -> Hashable:
        return self._key(self._rows[row])

    def row_of(self, key: Hashable) -> int:
        keys = [self._key(row) for row in self._rows]
        return keys.index(key) if key in keys else -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return localized(self._columns[section].header)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return localized(column.text(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            return localized((column.tooltip or column.text)(row))
        if role == FRACTION_ROLE:
            return None if column.fraction is None else column.fraction(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None
