"""The main window: navigation on the left, one page at a time, sync state at the bottom."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.catalog.library import LessonRow
from desktop_app.catalog.search import CatalogSearch
from desktop_app.downloads.units import MB
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.study import Study
from desktop_app.views.catalog.browser import CatalogBrowser
from desktop_app.views.downloads.bridge import DownloadEvents
from desktop_app.views.downloads.flow import DownloadFlow
from desktop_app.views.downloads.panel import DownloadsPanel
from desktop_app.views.downloads.storage_page import StoragePage
from desktop_app.views.player.lesson_page import LessonPage
from desktop_app.views.progress import ProgressPage
from desktop_app.views.residency.list_page import ResidencyList
from desktop_app.views.status_bar import SyncStatusBar
from desktop_app.views.sync_controller import SyncController, SyncOutcome, SyncStatus

NAV_PAGES = ("Courses", "Residencies", "Downloads", "Storage", "Progress")


class MainWindow(QMainWindow):
    """Signals:
    sign_out_requested(): the learner chose File → Sign out.
    """

    sign_out_requested = Signal()

    def __init__(
        self,
        study: Study,
        sync: SyncController,
        runner: BackgroundRunner,
        search: CatalogSearch,
        *,
        account_label: str,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.study, self.sync, self.runner = study, sync, runner
        self.setWindowTitle(f"Rounds — {account_label}")
        self.resize(1180, 760)
        self._build_pages(search)
        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self.demo_badge = QLabel(" Demo ")
        self.demo_badge.setStyleSheet(
            "background: #f9a825; color: #1b1b1b; font-weight: 700; border-radius: 4px;"
        )
        self.demo_badge.setVisible(demo)
        self._build_menus()
        self._build_centre()
        self._connect()
        self._on_status(sync.status)
        self.refresh()

    def _build_pages(self, search: CatalogSearch) -> None:
        study = self.study
        self.catalog = CatalogBrowser(study.library.course, search, self.runner)
        self.lesson_page = LessonPage(
            study.lesson_files,
            study.progress.recorder_for,
        )
        self.residencies = ResidencyList(study.residencies, self.runner)
        self.download_events = DownloadEvents(study.downloads, self)
        self.downloads = DownloadsPanel(study.downloads, self.download_events, self.runner)
        self.storage = StoragePage(
            study.storage, self.runner, floor_bytes=study.account.settings.disk_floor_mb * MB
        )
        self.progress = ProgressPage(study.outbox_queue, study.progress_exchange, self.runner)
        self.download_flow = DownloadFlow(study.downloads, self.runner, self)
        self.continue_button = QPushButton()
        self.continue_button.setVisible(False)
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setMaximumWidth(170)
        courses = QWidget()
        column = QVBoxLayout(courses)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.catalog, 1)
        for title, page in zip(
            NAV_PAGES,
            (courses, self.residencies, self.downloads, self.storage, self.progress),
            strict=True,
        ):
            self.nav.addItem(title)
            self.pages.addWidget(page)
        self.pages.addWidget(self.lesson_page)

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._show_nav_page)
        self.nav.setCurrentRow(0)
        self.sync.status_changed.connect(self._on_status)
        self.sync.synced.connect(self._on_synced)
        self.catalog.page.lesson_activated.connect(self.open_lesson)
        self.catalog.page.download_requested.connect(self.download_flow.request)
        self.download_flow.queued.connect(lambda _course, _count: self.nav.setCurrentRow(2))
        self.download_flow.refused.connect(self.status.showMessage)
        self.downloads.course_finished.connect(lambda _course: self.refresh())
        self.storage.downloads_removed.connect(lambda _course: self.refresh())
        self.lesson_page.back_requested.connect(self._back_to_course)
        self.lesson_page.lesson_changed.connect(lambda _course: self.refresh())
        self.residencies.continue_course.connect(self.show_course)
        if self.residencies.page is not None:  # a check-in queued offline waits for upload too
            self.residencies.page.checked_in.connect(lambda _result: self._refresh_pending())
        self.progress.sync_requested.connect(self.sync.sync_now)
        self.progress.progress_imported.connect(lambda _count: self.refresh())
        self.continue_button.clicked.connect(self._continue)

    def _build_centre(self) -> None:
        centre = QWidget()
        layout = QHBoxLayout(centre)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(centre)
        self.menuBar().setCornerWidget(self.demo_badge, Qt.Corner.TopRightCorner)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.sync_action = self._action(file_menu, "&Sync now", self.sync.sync_now, "Ctrl+R")
        file_menu.addSeparator()
        self._action(file_menu, "Sign &out…", self.sign_out_requested.emit)
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        view_menu = self.menuBar().addMenu("&View")
        for number, title in enumerate(NAV_PAGES):
            self._action(
                view_menu,
                f"&{title}",
                partial(self.nav.setCurrentRow, number),
                f"Ctrl+{number + 1}",
            )
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Rounds", self._about)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def refresh(self) -> None:
        """Re-read what the cache holds (after a sync, a download, a lesson, a sign-in).

        The course list, which may hold a thousand courses, is read off the UI thread."""
        self.runner.run(
            self.study.library.courses,
            self.catalog.show_courses,
            lambda error: self.status.showMessage(describe(error).message),
            serial=False,
        )
        self.residencies.refresh()
        self.progress.refresh()
        self.storage.refresh()
        self._show_continue()
        self.sync.refresh_pending()

    def _on_synced(self, summary: SyncOutcome) -> None:
        """Re-read the cache only when the sync changed something the learner sees."""
        if summary.changed:
            self.refresh()
        else:
            self._refresh_pending()

    def _refresh_pending(self) -> None:
        self.progress.refresh()
        self.sync.refresh_pending()

    def _show_continue(self) -> None:
        state = self.study.progress.continue_where_left_off()
        lesson = self.study.library.lesson(state.lesson_id) if state else None
        self._continue_lesson = lesson
        self.continue_button.setVisible(lesson is not None)
        if lesson is not None:
            self.continue_button.setText(f"▶ Continue where you left off: {lesson.title}")

    def _continue(self) -> None:
        if self._continue_lesson is not None:
            self.open_lesson(self._continue_lesson)

    def open_lesson(self, lesson: LessonRow) -> None:
        if self.lesson_page.open_lesson(lesson):
            self.nav.clearSelection()
            self.pages.setCurrentWidget(self.lesson_page)
        else:
            self.status.showMessage("This lesson is no longer in the catalog. Sync to refresh it.")

    def show_course(self, course_id: str) -> None:
        self.nav.setCurrentRow(0)
        self.pages.setCurrentIndex(0)
        self.catalog.select_course(course_id)

    def _back_to_course(self, course_id: str) -> None:
        """Back to the course; what the lesson recorded starts uploading at once."""
        self.refresh()
        self.show_course(course_id)
        self.sync.sync_now()

    def _show_nav_page(self, row: int) -> None:
        if row < 0:
            return
        self.lesson_page.close_lesson()
        self.pages.setCurrentIndex(row)

    def _on_status(self, status: SyncStatus) -> None:
        self.status.show_status(status)
        self.sync_action.setEnabled(not status.syncing)
        self.progress.set_syncing(status.syncing)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Rounds",
            "Rounds — offline-first learning for clinicians.\n"
            "Study your courses anywhere; progress uploads when you are back online.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lesson_page.close_lesson()
        self.download_events.close()
        self.sync.stop()
        super().closeEvent(event)
