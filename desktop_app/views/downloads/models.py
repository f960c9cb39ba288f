"""Qt table models over the frozen rows of the download queue and of the storage report.

Progress arrives several times a second; when the rows are the same items as before, the
models only announce changed data, so a selection survives the updates.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop_app.downloads import CourseProgress, CourseUsage, JobStatus
from desktop_app.downloads.units import format_bytes, format_speed, format_time_left

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 2  # 0..1 in a progress column, else None
Row = TypeVar("Row")

STATE_WORDS = {
    "queued": "Waiting",
    "running": "Downloading",
    "paused": "Paused",
    "failed": "Failed",
    "done": "Downloaded",
}


@dataclass(frozen=True)
class Column(Generic[Row]):
    header: str
    text: Callable[[Row], str]
    fraction: Callable[[Row], float] | None = None
    align_right: bool = False
    tooltip: Callable[[Row], str] | None = None


class FrozenRowsModel(QAbstractTableModel, Generic[Row]):
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
            return self._columns[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tooltip or column.text)(row)
        if role == FRACTION_ROLE:
            return None if column.fraction is None else column.fraction(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None


def _percent(fraction: float) -> str:
    return f"{fraction:.0%}"


def _amount(row: JobStatus | CourseProgress) -> str:
    return f"{format_bytes(row.bytes_done)} of {format_bytes(row.size)}"


def _words(row: JobStatus | CourseProgress) -> str:
    return STATE_WORDS.get(row.state, row.state)


def _state(row: JobStatus | CourseProgress) -> str:
    return f"{_words(row)}: {row.error}" if row.error else _words(row)


def _course_files(row: CourseProgress) -> str:
    return f"{row.files_done} of {row.files}"


COURSE_COLUMNS: tuple[Column[CourseProgress], ...] = (
    Column("Course", lambda r: r.title),
    Column("Progress", lambda r: _percent(r.fraction), lambda r: r.fraction),
    Column("Downloaded", _amount, align_right=True),
    Column("Files", _course_files, align_right=True),
    Column("Speed", lambda r: format_speed(r.speed), align_right=True),
    Column("Time left", lambda r: format_time_left(r.seconds_left)),
    Column("Status", _words, tooltip=_state),
)

JOB_COLUMNS: tuple[Column[JobStatus], ...] = (
    Column("File", lambda r: r.label),
    Column("Progress", lambda r: _percent(r.fraction), lambda r: r.fraction),
    Column("Downloaded", _amount, align_right=True),
    Column("Speed", lambda r: format_speed(r.speed), align_right=True),
    Column("Time left", lambda r: format_time_left(r.seconds_left)),
    Column("Status", _state),
)


def _stored(row: CourseUsage) -> str:
    return f"{row.stored_files} of {row.total_files}"


STORAGE_COLUMNS: tuple[Column[CourseUsage], ...] = (
    Column("Course", lambda r: r.title),
    Column("Files on this computer", _stored, align_right=True),
    Column("Space used", lambda r: format_bytes(r.stored_bytes), align_right=True),
    Column("Shared with other courses", lambda r: str(r.shared_files or ""), align_right=True),
)


def course_progress_model(parent: QObject | None = None) -> FrozenRowsModel[CourseProgress]:
    return FrozenRowsModel(COURSE_COLUMNS, lambda row: row.course_id, parent)


def job_status_model(parent: QObject | None = None) -> FrozenRowsModel[JobStatus]:
    return FrozenRowsModel(JOB_COLUMNS, lambda row: row.job_id, parent)


def storage_model(parent: QObject | None = None) -> FrozenRowsModel[CourseUsage]:
    return FrozenRowsModel(STORAGE_COLUMNS, lambda row: row.course_id, parent)
