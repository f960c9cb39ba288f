"""One course: its summary, size and offline state, and its lessons by module."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.catalog.library import (
    DOWNLOADED,
    NOT_DOWNLOADED,
    PARTLY_DOWNLOADED,
    CourseDetail,
    LessonRow,
)
from desktop_app.downloads.units import format_bytes
from desktop_app.views.catalog.models import KIND_LABELS, LessonTreeModel

_WIDEST_TEXTS = (
    tuple(KIND_LABELS.values()),
    ("999 min 59 s",),
    (DOWNLOADED, NOT_DOWNLOADED, PARTLY_DOWNLOADED),
    ("✓",),
)
"""What the Kind, Length, Offline and Done columns can hold."""
_CELL_PADDING = 24


class CoursePage(QWidget):
    """Signals:
    lesson_activated(LessonRow): the learner opened a lesson.
    download_requested(str): the learner asked to download the course (its id).
    """

    lesson_activated = Signal(object)
    download_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._course_id = ""
        self.title = QLabel(wordWrap=True)
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.summary = QLabel(wordWrap=True)
        self.facts = QLabel()
        self.facts.setStyleSheet("color: #555;")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat("%p% complete")
        self.download = QPushButton("Download course")
        self.download.clicked.connect(lambda: self.download_requested.emit(self._course_id))
        self.lessons = LessonTreeModel(self)
        self.tree = QTreeView(uniformRowHeights=True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setModel(self.lessons)
        self._fix_column_widths()
        self.tree.activated.connect(self._on_activated)
        self._shown: CourseDetail | None = None
        self._layout()
        self._show_nothing()

    def _fix_column_widths(self) -> None:
        """The title stretches; the other columns are as wide as their widest possible text,
        so showing a course never measures its rows."""
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        for column, texts in enumerate(_WIDEST_TEXTS, start=1):
            texts = (*texts, LessonTreeModel.HEADERS[column])
            width = max(metrics.horizontalAdvance(text) for text in texts) + _CELL_PADDING
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)

    def _layout(self) -> None:
        facts_row = QHBoxLayout()
        facts_row.addWidget(self.facts, 1)
        facts_row.addWidget(self.download)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(facts_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.tree, 1)

    def show_course(self, detail: CourseDetail | None) -> None:
        """Show `detail`; the same course unchanged (after a sync, say) is left as drawn."""
        if detail is None:
            self._show_nothing()
        elif detail != self._shown:
            self._show(detail)

    def _show_nothing(self) -> None:
        self._course_id, self._shown = "", None
        self.title.setText("Choose a course")
        self.summary.setText("Your courses appear on the left once they have synced.")
        self.facts.clear()
        self.download.setEnabled(False)
        self.lessons.set_modules(())
        self.progress.setVisible(False)

    def _show(self, detail: CourseDetail) -> None:
        course = detail.course
        self._course_id, self._shown = course.id, detail
        self.title.setText(course.title)
        self.summary.setText(course.summary)
        self.facts.setText(
            f"{course.module_count} modules · {course.lesson_count} lessons · "
            f"{format_bytes(detail.size_bytes)} · {course.download_state}"
        )
        self.download.setEnabled(course.download_state != DOWNLOADED)
        self.progress.setVisible(True)
        self.progress.setValue(course.percent_complete)
        self.lessons.set_modules(detail.modules)
        for row in range(self.lessons.rowCount()):
            self.tree.setFirstColumnSpanned(row, self.tree.rootIndex(), True)
        self.tree.expandAll()

    @property
    def course_id(self) -> str:
        return self._course_id

    def _on_activated(self, index: QModelIndex) -> None:
        lesson = self.lessons.lesson_at(index.siblingAtColumn(0))
        if isinstance(lesson, LessonRow):
            self.lesson_activated.emit(lesson)
