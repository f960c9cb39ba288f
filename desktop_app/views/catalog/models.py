"""Qt item models over the library's frozen rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.catalog.rows import CourseRow, LessonRow, ModuleRow
from desktop_app.views.catalog.labels import human_duration, kind_label, state_label
from desktop_app.views.catalog.listing import RowChanges, compare
from desktop_app.views.catalog.two_line import SECONDARY_ROLE
from desktop_app.views.i18n import format_number
from desktop_app.views.row_list import ROW_ROLE, RowListModel

AnyIndex = QModelIndex | QPersistentModelIndex
# Module rows carry this internal id; lesson rows carry their module's row number.
_TOP = 0xFFFFFFFF
OFFLINE_COLUMN = 2
DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


def course_facts(row: CourseRow) -> str:
    """The line under a course's title in the list: lessons, completion, offline state."""
    return QCoreApplication.translate(
        "CourseListModel", "%n lessons · {percent}% complete · {state}", "", row.lesson_count
    ).format(percent=format_number(row.percent_complete), state=state_label(row.download_state))


class CourseListModel(RowListModel[CourseRow]):
    """One row per course, its title over its facts; the row object is under `ROW_ROLE`.

    New rows for the same courses in the same order change in place: the list keeps its
    selection and scroll position, and only the changed rows are drawn again."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shown: tuple[CourseRow, ...] = ()

    def shown_rows(self) -> tuple[CourseRow, ...]:
        """The rows shown, to compare new ones with (`listing.compare`) off the UI thread."""
        return self._shown

    def set_rows(self, rows: Sequence[CourseRow]) -> None:
        self.apply(compare(self._shown, tuple(rows)))

    def apply(self, changes: RowChanges) -> None:
        """Show `changes.rows`: in place if they were compared with the rows shown now and
        only rows changed, else with a reset."""
        in_place = changes.runs is not None and changes.before is self._shown
        self._shown = changes.rows
        if not in_place:
            super().set_rows(changes.rows)
            return
        self._rows = list(changes.rows)
        for first, last in changes.runs or ():
            self.dataChanged.emit(self.index(first), self.index(last))

    def row_data(self, row: CourseRow, role: int) -> Any:
        if role == DISPLAY:
            return row.title
        if role == SECONDARY_ROLE:
            return [(course_facts(row), False)]
        if role == ACCESSIBLE:
            return f"{row.title}. {course_facts(row)}"
        if role == TOOLTIP:
            return "\n\n".join(filter(None, (row.title, course_facts(row), row.summary)))
        return None


class LessonTreeModel(QAbstractItemModel):
    """Modules as top-level rows, their lessons beneath, each lesson's kind and summary under
    its title; columns: title, length, offline state, done. While files download,
    `set_transfers` gives lessons the state of their files."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._modules: list[ModuleRow] = []
        self._transfers: dict[str, str] = {}
        self.headers = (self.tr("Lesson"), self.tr("Length"), self.tr("Offline"), self.tr("Done"))

    def set_modules(self, modules: tuple[ModuleRow, ...]) -> None:
        self.beginResetModel()
        self._modules = list(modules)
        self._transfers = {}
        self.endResetModel()

    def set_transfers(self, states: Mapping[str, str]) -> None:
        """Lesson id -> the offline state its files' downloads give it (the rest as read)."""
        changed = self._transfers.keys() ^ states.keys()
        changed |= {id_ for id_ in states if self._transfers.get(id_) != states[id_]}
        self._transfers = dict(states)
        for module, lessons in enumerate(self._modules):
            parent = self.index(module, 0)
            for row, lesson in enumerate(lessons.lessons):
                if lesson.id in changed:
                    cell = self.index(row, OFFLINE_COLUMN, parent)
                    self.dataChanged.emit(cell, cell, [DISPLAY])

    def offline_state(self, lesson: LessonRow) -> str:
        return self._transfers.get(lesson.id, lesson.download_state)

    def lessons(self) -> list[LessonRow]:
        return [lesson for module in self._modules for lesson in module.lessons]

    def index_of(self, lesson_id: str) -> QModelIndex:
        """The title cell of the lesson `lesson_id`, invalid if no module holds it."""
        for module, lessons in enumerate(self._modules):
            for row, lesson in enumerate(lessons.lessons):
                if lesson.id == lesson_id:
                    return self.index(row, 0, self.index(module, 0))
        return QModelIndex()

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
        return len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._module_data(self._modules[index.row()], index.column(), role)
        lesson = self._modules[int(index.internalId())].lessons[index.row()]
        if role == ROW_ROLE:
            return lesson
        if role == TOOLTIP:
            return f"{lesson.title}\n\n{self._about(lesson)}"
        if role == SECONDARY_ROLE and index.column() == 0:
            return [(self._about(lesson), False)]
        if role == DISPLAY:
            return self._lesson_text(lesson, index.column())
        if role == ACCESSIBLE and index.column() == len(self.headers) - 1:
            return self.tr("Done") if lesson.completed else self.tr("Not done")
        return None

    def _module_data(self, module: ModuleRow, column: int, role: int) -> Any:
        if role == ROW_ROLE:
            return module
        if role in (DISPLAY, TOOLTIP) and column == 0:
            done = sum(lesson.completed for lesson in module.lessons)
            return self.tr("{title} ({done} of {total} done)").format(
                title=module.title,
                done=format_number(done),
                total=format_number(len(module.lessons)),
            )
        return None

    @staticmethod
    def _about(lesson: LessonRow) -> str:
        """The line under a lesson's title: its kind and summary."""
        return " · ".join(filter(None, (kind_label(lesson.kind), lesson.summary)))

    def _lesson_text(self, lesson: LessonRow, column: int) -> str:
        return (
            lesson.title,
            human_duration(lesson.duration_seconds),
            state_label(self.offline_state(lesson)),
            "✓" if lesson.completed else "",
        )[column]
