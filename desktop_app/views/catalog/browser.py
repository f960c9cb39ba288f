"""The catalog browser: a search box, the course list, lessons found, and the selected course."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QSplitter, QVBoxLayout, QWidget

from desktop_app.catalog.library import CourseDetail, CourseRow
from desktop_app.catalog.search import (
    CatalogSearch,
    CourseMatches,
    LessonHit,
    is_searchable,
)
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.catalog.course_filter import CourseFilter, rows_held_in_cpp
from desktop_app.views.catalog.course_page import CoursePage
from desktop_app.views.catalog.listing import CourseListing
from desktop_app.views.catalog.models import CourseListModel
from desktop_app.views.catalog.search_runs import LatestOnly, LessonHitModel
from desktop_app.views.catalog.two_line import TwoLineDelegate
from desktop_app.views.i18n import localized
from desktop_app.views.row_list import ROW_ROLE

_LIST_CHARS = 20
"""The course list's least width, in average characters."""


_AFTER_PAINT = QEvent.Type(QEvent.registerEventType())


class AfterPaint(QObject):
    """Calls functions once the window has drawn what waits to be drawn: their event is posted
    below the priority of Qt's paint request (`UpdateRequest`, posted at low priority), so the
    event loop delivers the paint first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: list[Callable[[], None]] = []

    def call(self, function: Callable[[], None]) -> None:
        self._waiting.append(function)
        below_paint = int(Qt.EventPriority.LowEventPriority.value) - 1
        QCoreApplication.postEvent(self, QEvent(_AFTER_PAINT), below_paint)

    def customEvent(self, event: QEvent) -> None:
        if event.type() == _AFTER_PAINT and self._waiting:
            self._waiting.pop(0)()


def _list_view(model: QAbstractItemModel, name: str) -> QListView:
    """A list of two-line items, each elided with its whole text in its tooltip."""
    view = QListView()
    view.setAccessibleName(name)
    view.setItemDelegate(TwoLineDelegate(view))
    view.setAlternatingRowColors(True)
    view.setModel(model)
    view.setUniformItemSizes(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return view


class CatalogBrowser(QWidget):
    """The search runs on `runner`'s workers for the newest text: the course filter first
    (bounded, unranked, milliseconds), then, once it is shown, the lessons found, best first.
    One after the other, they leave the second core of a 2-core machine to the UI thread.

    Signals:
        courses_filtered(str): the course list now shows the courses matching this text.
        lessons_found(str): the lesson hits for this text are shown.
    """

    courses_filtered = Signal(str)
    lessons_found = Signal(str)

    def __init__(
        self,
        load_course: Callable[[str], CourseDetail | None],
        search: CatalogSearch,
        runner: BackgroundRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_course = load_course
        self._selecting = False
        self._left_by_search = ""  # the course a search took off the page
        self.search_box = self._search_box()
        self.search_note = QLabel(wordWrap=True)
        self.courses = CourseListModel(self)
        self.filter = CourseFilter(self.courses, self)
        self._shown = rows_held_in_cpp(self.filter, self)
        self.list = _list_view(self._shown, self.tr("Courses"))
        self.hits = LessonHitModel(self)
        self.hits_heading = QLabel(wordWrap=True)
        self.hit_list = _list_view(self.hits, self.tr("Lessons found"))
        self.page = CoursePage()
        self._after_paint = AfterPaint(self)
        self._course_search = LatestOnly(runner, search.courses, self._show_matches, self._failed)
        self._lesson_search = LatestOnly(runner, search.lessons, self._show_hits, self._failed)
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        self.hit_list.activated.connect(self._open_hit)
        self.search_box.textChanged.connect(self._on_text)
        self._layout()
        self._show_search(False)

    def _search_box(self) -> QLineEdit:
        box = QLineEdit(clearButtonEnabled=True)
        box.setPlaceholderText(self.tr("Search courses and lessons (Ctrl+F)"))
        box.setToolTip(self.tr("Search course and lesson titles and summaries (Ctrl+F)"))
        box.setAccessibleName(self.tr("Search courses and lessons"))
        return box

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected (the window's Ctrl+F)."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.FontChange:
            self._fit_left()
        self.list.installEventFilter(self)
        return super().eventFilter(watched, event)

    def _fit_left(self) -> None:
        """The course list never narrower than the start of a title, at any text size."""
        self.list.setMinimumWidth(_LIST_CHARS * self.list.fontMetrics().averageCharWidth())

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in (
            (self.search_box, 0),
            (self.search_note, 0),
            (self.list, 3),
            (self.hits_heading, 0),
            (self.hit_list, 2),
        ):
            left_layout.addWidget(widget, stretch)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.page)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([320, 640])
        splitter.setChildrenCollapsible(False)
        self._fit_left()
        self.list.installEventFilter(self)
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

    def show_listing(self, listing: CourseListing) -> None:
        """The list and the page as a worker read them (`listing.read_listing`): changed rows
        redrawn in place, and the page filled from the lessons read with the list when it is
        to show that course; as `show_courses` keeps and chooses the course. The page is
        filled on a later turn of the event loop, once the list is drawn, so that neither
        turn takes a frame's time; unless the learner chose a course meanwhile."""
        rows = listing.changes.rows
        keep = self.page.course_id
        wanted = keep or (rows[0].id if rows else "")
        self.courses.apply(listing.changes)
        if not wanted:
            self.page.show_course(None)
            return
        self._mark_in_list(wanted)
        if wanted != listing.course_id:
            self.page.show_course(self._load_course(wanted))
            return

        def fill_page() -> None:
            if self.page.course_id == keep:
                self.page.show_course(listing.detail)

        self._after_paint.call(fill_page)

    def select_course(self, course_id: str) -> None:
        """Select the course in the list and show it (loaded once, fresh from the cache)."""
        self._mark_in_list(course_id)
        self.page.show_course(self._load_course(course_id))

    def _mark_in_list(self, course_id: str) -> None:
        """Make the course the list's current row, if the list shows it, without loading it."""
        self._selecting = True
        try:
            index = self._shown.mapFromSource(
                self.filter.mapFromSource(self.courses.index_of(course_id))
            )
            if index.isValid():
                self.list.setCurrentIndex(index)
        finally:
            self._selecting = False

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes and not self._selecting:
            row = indexes[0].data(ROW_ROLE)
            if isinstance(row, CourseRow) and row.id != self.page.course_id:
                self.page.show_course(self._load_course(row.id))

    def _on_text(self, text: str) -> None:
        if not is_searchable(text):
            self._course_search.forget()
            self._lesson_search.forget()
            self._show_search(False)
            self.filter.set_allowed(None)
            self._back_from_search()
            return
        self._course_search.ask(text)
        self._lesson_search.forget()  # asked once this text's courses are shown
        self._show_search(True)
        self.hits_heading.setText(self.tr("Searching lessons…"))

    def _back_from_search(self) -> None:
        """With every course listed again, the page shows the course it showed, or the one a
        search took off it."""
        left, self._left_by_search = self._left_by_search, ""
        if self.page.course_id:
            self._mark_in_list(self.page.course_id)
        elif left and self.courses.index_of(left).isValid():
            self.select_course(left)
        else:
            self.page.show_course(None)

    def _show_search(self, shown: bool) -> None:
        for widget in (self.search_note, self.hits_heading, self.hit_list):
            widget.setVisible(shown)
        if not shown:
            self.hits.set_rows([])

    def _show_matches(self, text: str, matches: CourseMatches) -> None:
        self.filter.set_allowed(matches.ids)
        count = self.filter.rowCount()
        if not matches.complete:
            note = self.tr(
                "Showing %n of more matching courses — type more words to narrow them.", "", count
            )
        elif count:
            note = self.tr("%n courses match.", "", count)
        else:  # a lesson matching would have matched its course
            note = self.tr("No course or lesson matches “{text}”.").format(text=text.strip())
        self.search_note.setText(note)
        self.hits_heading.setVisible(count > 0)
        self.hit_list.setVisible(count > 0)
        if self.page.course_id in matches.ids:
            self._mark_in_list(self.page.course_id)
        elif self.page.course_id:
            self._left_by_search = self.page.course_id
            self.page.show_course(None, self.tr("Choose a course or a lesson that matches."))
        self.courses_filtered.emit(text)
        self._lesson_search.ask(text)

    def _show_hits(self, text: str, hits: list[LessonHit]) -> None:
        self.hits.set_rows(hits)
        if hits:
            heading = self.tr("Lessons, best match first (%n)", "", len(hits))
        else:
            heading = self.tr("No lesson matches.")
        self.hits_heading.setText(heading)
        self.lessons_found.emit(text)

    def _failed(self, error: Exception) -> None:
        reason = localized(describe(error).message)
        self.search_note.setText(self.tr("Search failed: {reason}").format(reason=reason))

    def _open_hit(self, index: QModelIndex) -> None:
        """Enter or a double-click on a hit opens its lesson, over its course's page with the
        lesson selected, where the learner comes back to."""
        hit = index.data(ROW_ROLE)
        if not isinstance(hit, LessonHit):
            return
        self.select_course(hit.course_id)
        lesson = self.page.lessons.index_of(hit.id)
        if lesson.isValid():
            self.page.tree.setCurrentIndex(lesson)
            self.page.tree.scrollTo(lesson)
            self.page.tree.setFocus()
            self.page.lesson_activated.emit(lesson.data(ROW_ROLE))
