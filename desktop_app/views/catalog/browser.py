"""The catalog browser: a search box, the course list and the selected course."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QListView, QSplitter, QVBoxLayout, QWidget

from desktop_app.catalog.library import CourseDetail, CourseRow
from desktop_app.views.catalog.course_page import CoursePage
from desktop_app.views.catalog.models import CourseListModel
from desktop_app.views.row_list import ROW_ROLE

SearchFunction = Callable[[str], set[str]]


class _CourseFilter(QSortFilterProxyModel):
    """Shows only the courses a search matched (all when there is no search)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.allowed: set[str] | None = None

    def set_allowed(self, allowed: set[str] | None) -> None:
        self.beginFilterChange()
        self.allowed = allowed
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: object) -> bool:
        if self.allowed is None:
            return True
        row = self.sourceModel().index(source_row, 0).data(ROW_ROLE)
        return isinstance(row, CourseRow) and row.id in self.allowed


class CatalogBrowser(QWidget):
    def __init__(
        self,
        load_course: Callable[[str], CourseDetail | None],
        search: SearchFunction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_course, self._search = load_course, search
        self._selecting = False
        self.search_box = QLineEdit(
            placeholderText="Search courses and lessons…", clearButtonEnabled=True
        )
        self.courses = CourseListModel(self)
        self.filter = _CourseFilter(self)
        self.filter.setSourceModel(self.courses)
        self.list = QListView()
        self.list.setAlternatingRowColors(True)
        self.list.setModel(self.filter)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.page = CoursePage()
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self._apply_search)
        self.search_box.textChanged.connect(lambda _text: self._debounce.start())
        self._layout()

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.list)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.page)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([320, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def show_courses(self, rows: list[CourseRow]) -> None:
        """Replace the course list, keeping the selected course when it still exists."""
        keep = self.page.course_id
        self.courses.set_rows(rows)
        if keep:
            self.select_course(keep)
        elif rows:
            self.select_course(rows[0].id)
        else:
            self.page.show_course(None)

    def select_course(self, course_id: str) -> None:
        """Select the course in the list and show it (loaded once, fresh from the cache)."""
        self._selecting = True
        try:
            index = self.filter.mapFromSource(self.courses.index_of(course_id))
            if index.isValid():
                self.list.setCurrentIndex(index)
        finally:
            self._selecting = False
        self.page.show_course(self._load_course(course_id))

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes and not self._selecting:
            row = indexes[0].data(ROW_ROLE)
            if isinstance(row, CourseRow) and row.id != self.page.course_id:
                self.page.show_course(self._load_course(row.id))

    def _apply_search(self) -> None:
        text = self.search_box.text().strip()
        self.filter.set_allowed(self._search(text) if text else None)
