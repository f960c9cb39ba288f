"""The course list as the search leaves it: every course, or only those a search matched.

A `QSortFilterProxyModel` asks a Python `filterAcceptsRow` once per course, 75–100 ms of
UI-thread time at 10,000 courses; here the shown rows are one list comprehension over the
source's rows, and the view is reset once.

The list view must not lay itself out over a Python model, though: `QAbstractListModel.index`
asks the Python `rowCount` for each row it makes, and a view's layout after a reset makes one
per row (95 ms at 10,000 courses). `rows_held_in_cpp` puts a proxy that filters nothing in
between, which keeps the rows in C++; only the rows on screen reach Python, for their data.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from desktop_app.catalog.library import CourseRow
from desktop_app.views.row_list import RowListModel

AnyIndex = QModelIndex | QPersistentModelIndex


class CourseFilter(QAbstractListModel):
    """The source's rows whose course id is allowed, in the source's order (all of them while
    `allowed` is None). Any change of the source's rows resets this model too."""

    def __init__(self, source: RowListModel[CourseRow], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.allowed: frozenset[str] | None = None
        self._rows: list[int] = []
        self._positions: dict[int, int] = {}
        self._follow(source)
        self._refilter()

    def _follow(self, source: RowListModel[CourseRow]) -> None:
        for before, after in (
            (source.modelAboutToBeReset, source.modelReset),
            (source.rowsAboutToBeInserted, source.rowsInserted),
            (source.rowsAboutToBeRemoved, source.rowsRemoved),
            (source.rowsAboutToBeMoved, source.rowsMoved),
            (source.layoutAboutToBeChanged, source.layoutChanged),
        ):
            before.connect(self.beginResetModel)
            after.connect(self._end_reset)
        source.dataChanged.connect(self._on_data_changed)

    def set_allowed(self, allowed: frozenset[str] | None) -> None:
        if allowed == self.allowed:
            return
        self.beginResetModel()
        self.allowed = allowed
        self._end_reset()

    def _end_reset(self) -> None:
        self._refilter()
        self.endResetModel()

    def _refilter(self) -> None:
        count = self._source.rowCount()
        if self.allowed is None:
            self._rows = list(range(count))
        else:
            allowed, row_at = self.allowed, self._source.row_at
            self._rows = [n for n in range(count) if row_at(n).id in allowed]
        self._positions = {row: position for position, row in enumerate(self._rows)}

    def _on_data_changed(self, first: QModelIndex, last: QModelIndex) -> None:
        shown = [self._positions[n] for n in range(first.row(), last.row() + 1)
                 if n in self._positions]  # fmt: skip
        if shown:
            self.dataChanged.emit(self.index(min(shown), 0), self.index(max(shown), 0))

    def mapFromSource(self, source_index: QModelIndex) -> QModelIndex:
        position = self._positions.get(source_index.row(), -1)
        if not source_index.isValid() or position < 0:
            return QModelIndex()
        return self.index(position, 0)

    def mapToSource(self, index: AnyIndex) -> QModelIndex:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return QModelIndex()
        return self._source.index(self._rows[index.row()], 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.mapToSource(index).data(role)


def rows_held_in_cpp(model: QAbstractListModel, parent: QObject) -> QSortFilterProxyModel:
    """`model` behind a proxy that neither filters nor sorts, for a view to lay out in C++."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    return proxy
