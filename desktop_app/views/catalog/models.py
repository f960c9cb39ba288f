"""Qt item models over the library's frozen rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.catalog.rows import CourseRow, LessonRow, ModuleRow
from desktop_app.views.row_list import ROW_ROLE, RowListModel

AnyIndex = QModelIndex | QPersistentModelIndex
# Module rows carry this internal id; lesson rows carry their module's row number.
_TOP = 0xFFFFFFFF
KIND_LABELS = {
    "video": "Video",
    "audio": "Audio",
    "reading": "Reading",
    "pdf": "PDF handout",
    "quiz": "Quiz",
}


def human_duration(seconds: int) -> str:
    if seconds <= 0:
        return ""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"


class CourseListModel(RowListModel[CourseRow]):
    """One row per course; the row object is available under `ROW_ROLE`."""

    def row_data(self, row: CourseRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{row.title}\n{row.lesson_count} lessons · {row.percent_complete}% complete"
                f" · {row.download_state}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n\n{row.summary}"
        return None


class LessonTreeModel(QAbstractItemModel):
    """Modules as top-level rows, their lessons beneath; columns: title, kind, length, state."""

    HEADERS = ("Lesson", "Kind", "Length", "Offline", "Done")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._modules: list[ModuleRow] = []

    def set_modules(self, modules: tuple[ModuleRow, ...]) -> None:
        self.beginResetModel()
        self._modules = list(modules)
        self.endResetModel()

    def lesson_at(self, index: QModelIndex) -> LessonRow | None:
        row = index.data(ROW_ROLE)
        return row if isinstance(row, LessonRow) else None

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row())

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._modules)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._modules[parent.row()].lessons)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            module = self._modules[index.row()]
            if role == ROW_ROLE:
                return module
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                done = sum(lesson.completed for lesson in module.lessons)
                return f"{module.title}  ({done} of {len(module.lessons)} done)"
            return None
        lesson = self._modules[int(index.internalId())].lessons[index.row()]
        if role == ROW_ROLE:
            return lesson
        if role == Qt.ItemDataRole.ToolTipRole:
            return lesson.summary
        if role == Qt.ItemDataRole.DisplayRole:
            return self._lesson_text(lesson, index.column())
        return None

    @staticmethod
    def _lesson_text(lesson: LessonRow, column: int) -> str:
        return (
            lesson.title,
            KIND_LABELS.get(lesson.kind, lesson.kind),
            human_duration(lesson.duration_seconds),
            lesson.download_state,
            "✓" if lesson.completed else "",
        )[column]
