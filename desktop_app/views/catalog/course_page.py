"""One course: its summary, size and offline state, and its lessons by module."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.catalog.library import DOWNLOADED, PARTLY_DOWNLOADED, CourseDetail, LessonRow
from desktop_app.downloads import DownloadState, QueueSnapshot
from desktop_app.views.catalog.labels import state_label, widest_texts
from desktop_app.views.catalog.models import LessonTreeModel
from desktop_app.views.catalog.transfers import course_downloading, lesson_transfers
from desktop_app.views.catalog.two_line import TwoLineDelegate
from desktop_app.views.i18n import format_size

RUNNING = DownloadState.RUNNING.value
_PADDING_CHARS = 2
"""Room around a column's text, in average characters of the tree's font."""
_LESSON_CHARS = 16
"""The least room for lesson titles, in average characters: the other columns never take it."""
_LESSONS_SHOWN = 4
"""Lessons (two lines each) the list always has room for; with large text the page scrolls."""
_TITLE_SCALE = 1.6
_NO_BREAK = "\u00a0"


def _set_quietly(bar: QProgressBar, value: int) -> None:
    """`QProgressBar.setValue` repaints at once, and with it everything else the window has
    to draw (a whole course list after a sync); here the bar is drawn with the next paint."""
    bar.setUpdatesEnabled(False)
    bar.setValue(value)
    bar.setUpdatesEnabled(True)


class _UpAndDown(QScrollArea):
    """Scrolls its page up and down when large text makes it taller than the window, never
    sideways: it is as wide as the page needs."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(widgetResizable=True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its parts take the focus, and show it
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)

    def minimumSizeHint(self) -> QSize:
        hint, page = super().minimumSizeHint(), self.widget()
        if page is None:
            return hint
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return QSize(page.minimumSizeHint().width() + scroll_bar, hint.height())


class CoursePage(QWidget):
    """Signals:
    lesson_activated(LessonRow): the learner opened a lesson.
    download_requested(str): the learner asked to download the course (its id).
    lesson_download_requested(str): the learner asked to download one lesson (its id).
    certificate_requested(str): the learner asked to save the certificate of the course.
    """

    lesson_activated = Signal(object)
    download_requested = Signal(str)
    lesson_download_requested = Signal(str)
    certificate_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._course_id = ""
        self._shown: CourseDetail | None = None
        self._snapshot = QueueSnapshot()
        self.title = QLabel(wordWrap=True)
        self.summary = QLabel(wordWrap=True)
        self.facts = QLabel(wordWrap=True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat(self.tr("%p% complete"))
        self.download = QPushButton(self.tr("Download course"))
        self.download.clicked.connect(lambda: self.download_requested.emit(self._course_id))
        self.certificate = QPushButton(self.tr("Save &certificate…"))
        self.certificate.setToolTip(
            self.tr("Save the certificate of this completed course as a PDF")
        )
        self.certificate.clicked.connect(lambda: self.certificate_requested.emit(self._course_id))
        self.lessons = LessonTreeModel(self)
        self.tree = self._lesson_tree()
        self._add_lesson_actions()
        self._layout()
        self._fit_to_font()
        self.tree.installEventFilter(self)
        self._show_nothing()

    def _lesson_tree(self) -> QTreeView:
        tree = QTreeView()
        tree.setAccessibleName(self.tr("Lessons"))
        tree.setAlternatingRowColors(True)
        tree.setModel(self.lessons)
        tree.setItemDelegateForColumn(0, TwoLineDelegate(tree))
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        tree.setWordWrap(True)  # an offline state of two words takes the lesson's two lines
        tree.activated.connect(self._on_activated)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return tree

    def _add_lesson_actions(self) -> None:
        """The lesson list's context menu (right-click, or the menu key on the current
        lesson): open it, or download only it."""
        self.open_action = QAction(self.tr("&Open lesson"), self.tree)
        self.open_action.triggered.connect(lambda: self._on_activated(self.tree.currentIndex()))
        self.download_lesson_action = QAction(self.tr("&Download this lesson"), self.tree)
        self.download_lesson_action.triggered.connect(self._download_current_lesson)
        for action in (self.open_action, self.download_lesson_action):
            self.tree.addAction(action)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._update_actions())

    def _layout(self) -> None:
        facts_row = QHBoxLayout()
        facts_row.addWidget(self.facts, 1)
        facts_row.addWidget(self.download)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(facts_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.certificate, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.tree, 1)
        layout.addStretch(0)  # holds the text at the top while no course is shown
        self.scroller = _UpAndDown(content)
        outer = QVBoxLayout(self)  # the title stays above what scrolls
        outer.addWidget(self.title)
        outer.addWidget(self.scroller, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() == QEvent.Type.FontChange:
            self._fit_columns()
            self.scroller.updateGeometry()
        return super().eventFilter(watched, event)

    def _fit_to_font(self) -> None:
        self._fit_title()
        self._fit_columns()

    def _fit_title(self) -> None:
        """The title larger than the text; the text size setting scales it alike
        (`views.theme.apply_text_size` scales every font a widget set for itself)."""
        title = QFont(self.font())
        if title.pointSizeF() > 0:
            title.setPointSizeF(title.pointSizeF() * _TITLE_SCALE)
        else:
            title.setPixelSize(round(title.pixelSize() * _TITLE_SCALE))
        title.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title)

    def _fit_columns(self) -> None:
        """The columns but the title as wide as their widest possible text, in the tree's
        font (headers in bold, as the style sheet may draw them): they follow the text size,
        and showing a course never measures its rows. The title column takes the rest, and the
        tree is wide enough that the rest holds its heading and the start of a title."""
        header, metrics = self.tree.header(), self.tree.fontMetrics()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        heading = QFontMetrics(bold)
        margin = 2 * self.tree.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
        padding = _PADDING_CHARS * metrics.averageCharWidth()
        titles = [heading.horizontalAdvance(text) + margin for text in self.lessons.headers]
        width = max(titles[0], _LESSON_CHARS * metrics.averageCharWidth()) + padding
        for column, texts in enumerate(widest_texts(), start=1):
            widest = max(metrics.horizontalAdvance(text) for text in texts)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(widest, titles[column]) + padding)
            width += header.sectionSize(column)
        frame = 2 * self.tree.frameWidth()
        self.tree.setMinimumWidth(width + frame + self.tree.verticalScrollBar().sizeHint().width())
        lessons = _LESSONS_SHOWN * 2 * metrics.lineSpacing()
        self.tree.setMinimumHeight(header.sizeHint().height() + lessons + frame)

    def show_course(self, detail: CourseDetail | None, hint: str = "") -> None:
        """Show `detail`; the same course unchanged (after a sync, say) is left as drawn.
        Without a course the page says what to do: `hint`, or where courses come from."""
        if detail is None:
            self._show_nothing(hint)
        elif detail != self._shown:
            self._show(detail)

    def show_downloads(self, snapshot: QueueSnapshot) -> None:
        """Follow the download queue: lessons whose files land say so, and the course cannot
        be asked for again while it downloads."""
        self._snapshot = snapshot
        if self._shown is not None:
            jobs = snapshot.jobs
            self.lessons.set_transfers(lesson_transfers(self.lessons.lessons(), jobs))
        self._follow_queue()
        self._update_actions()

    def _show_nothing(self, hint: str = "") -> None:
        self._course_id, self._shown = "", None
        self.title.setText(self.tr("Choose a course"))
        self.summary.setText(
            hint or self.tr("Your courses appear on the left once they have synced.")
        )
        self.facts.clear()
        self.lessons.set_modules(())
        for widget in (self.progress, self.download, self.tree, self.certificate):
            widget.setVisible(False)
        self._follow_queue()
        self._update_actions()

    def _show(self, detail: CourseDetail) -> None:
        course = detail.course
        self._course_id, self._shown = course.id, detail
        self.title.setText(course.title)
        self.summary.setText(course.summary)
        for widget in (self.progress, self.download, self.tree):
            widget.setVisible(True)
        _set_quietly(self.progress, course.percent_complete)
        self.certificate.setVisible(course.percent_complete >= 100)
        self.lessons.set_modules(detail.modules)
        for row in range(self.lessons.rowCount()):
            self.tree.setFirstColumnSpanned(row, self.tree.rootIndex(), True)
        self.tree.expandAll()
        self.show_downloads(self._snapshot)

    def _follow_queue(self) -> None:
        """The course's offline state and its download button as the queue leaves them."""
        shown = self._shown
        busy = shown is not None and course_downloading(self._snapshot, shown.course.id)
        states = {self.lessons.offline_state(lesson) for lesson in self.lessons.lessons()}
        stored = states <= {DOWNLOADED}
        self.download.setEnabled(shown is not None and not busy and not stored)
        self.download.setToolTip(
            self.tr("This course is downloading; the Downloads page shows its progress.")
            if busy
            else ""
        )
        if shown is None:
            return
        if busy or stored:
            state = RUNNING if busy else DOWNLOADED
        elif self._files_landed():
            state = PARTLY_DOWNLOADED
        else:
            state = shown.course.download_state
        self.facts.setText(self._facts(shown, state))

    def _files_landed(self) -> bool:
        """Whether a file of a lesson that missed some when read has landed since."""
        landed = (DOWNLOADED, PARTLY_DOWNLOADED)
        lessons = self.lessons
        return any(lessons.offline_state(row) in landed for row in lessons.lessons() if row.missing)

    def _facts(self, detail: CourseDetail, state: str) -> str:
        """Modules, lessons, size and offline state: a list, each item whole (a narrow page
        wraps the list between items, never inside one)."""
        course = detail.course
        items = (
            self.tr("%n modules", "", course.module_count),
            self.tr("%n lessons", "", course.lesson_count),
            format_size(detail.size_bytes),
            state_label(state),
        )
        return f"{_NO_BREAK}· ".join(item.replace(" ", _NO_BREAK) for item in items)

    def _update_actions(self) -> None:
        lesson = self.lessons.lesson_at(self.tree.currentIndex().siblingAtColumn(0))
        self.open_action.setEnabled(lesson is not None)
        self.download_lesson_action.setEnabled(
            lesson is not None and self.lessons.offline_state(lesson) != DOWNLOADED
        )

    @property
    def course_id(self) -> str:
        return self._course_id

    def _download_current_lesson(self) -> None:
        lesson = self.lessons.lesson_at(self.tree.currentIndex().siblingAtColumn(0))
        if lesson is not None:
            self.lesson_download_requested.emit(lesson.id)

    def _on_activated(self, index: QModelIndex) -> None:
        lesson = self.lessons.lesson_at(index.siblingAtColumn(0))
        if isinstance(lesson, LessonRow):
            self.lesson_activated.emit(lesson)
