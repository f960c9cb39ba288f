"""The residencies the learner is enrolled in, upcoming first."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from desktop_app.library import ResidencyRow


def venue_time_range(row: ResidencyRow) -> str:
    zone = ZoneInfo(row.timezone)
    start, end = row.starts_at.astimezone(zone), row.ends_at.astimezone(zone)
    return f"{start:%A %d %B %Y}, {start:%H:%M}–{end:%H:%M} {start.tzname()} (venue time)"


class ResidencyListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResidencyRow] = []

    def set_rows(self, rows: list[ResidencyRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.title}\n{row.venue_name}\n{venue_time_range(row)}"
        return None


class ResidencyList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ResidencyListModel(self)
        self.list = QListView(alternatingRowColors=True)
        self.list.setModel(self.model)
        self.empty = QLabel("You are not enrolled in a residency yet.")
        layout = QVBoxLayout(self)
        heading = QLabel("Residencies")
        heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        layout.addWidget(heading)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)

    def show_residencies(self, rows: list[ResidencyRow]) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
