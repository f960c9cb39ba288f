"""The main window: navigation on the left, one page at a time, sync state at the bottom.

It is built in two steps so that a start paints at once: the frame (navigation, menus, an
"Opening your courses…" line) needs PySide6 alone, and `attach` adds the account's pages
once the account is open, importing their modules only then. Meanwhile the frame may show
the course list the start read early (`show_first_courses`), which `attach` carries over.
The residency, downloads, storage, progress and lesson pages are built the first time they
are shown (`LazyStack`, filled by `main_pages`).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import data_home
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.i18n import localized
from desktop_app.views.lazy_stack import LazyStack
from desktop_app.views.main_menus import build_menus, nav_titles, opening_text, show_about
from desktop_app.views.main_pages import add_lazy_pages
from desktop_app.views.review.nav import review_nav_title
from desktop_app.views.window_state import WindowState

if TYPE_CHECKING:
    from desktop_app.catalog.library import CourseRow, LessonRow
    from desktop_app.catalog.search import CatalogSearch as Search
    from desktop_app.config import Settings
    from desktop_app.study import Study
    from desktop_app.views.catalog.listing import CourseListing
    from desktop_app.views.downloads.panel import DownloadsPanel
    from desktop_app.views.downloads.storage_page import StoragePage
    from desktop_app.views.idle_lock import WindowLock
    from desktop_app.views.package_import import PackageImport
    from desktop_app.views.player.lesson_page import LessonPage
    from desktop_app.views.progress import ProgressPage
    from desktop_app.views.reminders import ReminderScheduler
    from desktop_app.views.residency.list_page import ResidencyList
    from desktop_app.views.review.page import ReviewPage
    from desktop_app.views.settings_dialog import SettingsDialog
    from desktop_app.views.status_bar import SyncStatusBar
    from desktop_app.views.sync_controller import SyncController, SyncOutcome, SyncStatus

NAV_PAGES = ("Courses", "Residencies", "Downloads", "Storage", "Progress", "Review")
COURSES, RESIDENCIES, DOWNLOADS, STORAGE, PROGRESS, REVIEW = range(len(NAV_PAGES))
OPENING = "Opening your courses…"  # as the English window says it; see `opening_text`


class MainWindow(QMainWindow):
    """Signals:
    sign_out_requested(): the learner chose File → Sign out.
    """

    sign_out_requested = Signal()
    settings_saved = Signal(object)
    study: Study
    sync: SyncController
    runner: BackgroundRunner
    package_import: PackageImport
    status: SyncStatusBar
    reminders: ReminderScheduler

    def __init__(
        self,
        study: Study | None = None,
        sync: SyncController | None = None,
        runner: BackgroundRunner | None = None,
        search: Search | None = None,
        *,
        account_label: str = "",
        demo: bool = False,
    ) -> None:
        """The frame alone, or with `study` (and the rest) the whole window at once."""
        super().__init__()
        self.setWindowTitle(self.tr("Rounds"))
        self.resize(1180, 760)
        self.demo_badge = QLabel(self.tr(" Demo "))
        self.demo_badge.setStyleSheet(
            "background: palette(highlight); color: palette(highlighted-text);"
            " font-weight: 700; border-radius: 4px;"
        )
        self.demo_badge.setVisible(demo)
        self.attached = False
        self.window_lock: WindowLock | None = None
        self._first_courses: list[CourseRow] = []
        self._continue_lesson: LessonRow | None = None
        self._build_frame()
        self.menu_actions = build_menus(self, self)
        self.window_state = WindowState(self, data_home() / "window.ini")
        self.window_state.restore_geometry()
        if study is not None and sync is not None and runner is not None and search is not None:
            self.attach(study, sync, runner, search, account_label=account_label)

    def _build_frame(self) -> None:
        self.pages = LazyStack()
        self._set_opening_page(QLabel(opening_text(), alignment=Qt.AlignmentFlag.AlignCenter))
        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        width = self.nav.sizePolicy()  # as wide as its longest name, at any text size
        width.setHorizontalPolicy(width.Policy.Fixed)
        self.nav.setSizePolicy(width)
        self.nav.ensurePolished()  # items measured with the style sheet's padding
        self.nav.addItems(nav_titles())
        self.nav.addItem(review_nav_title(0))
        self.nav.setCurrentRow(COURSES)
        centre = QWidget()
        layout = QHBoxLayout(centre)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(centre)
        self.menuBar().setCornerWidget(self.demo_badge, Qt.Corner.TopRightCorner)
        self.statusBar().showMessage(opening_text())

    def _set_opening_page(self, page: QWidget) -> None:
        """What the Courses page shows until `attach` builds it."""
        opening = self.pages.widget(0)
        if opening is not None:
            self.pages.removeWidget(opening)
            opening.deleteLater()
        self.pages.insertWidget(0, page)
        self.pages.setCurrentIndex(0)

    def show_first_courses(self, rows: list[CourseRow]) -> QListView:
        """Before `attach`: the courses as the start read them, in a list like the catalog's
        (its model, drawn the same), so the learner sees them while the account opens."""
        from desktop_app.views.catalog.models import CourseListModel

        view = QListView(uniformItemSizes=True)
        model = CourseListModel(view)  # deleted with the view when `attach` replaces it
        model.set_rows(rows)
        view.setAlternatingRowColors(True)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setModel(model)
        self._set_opening_page(view)
        self._first_courses = rows
        return view

    def forget_first_courses(self) -> None:
        """Back to "Opening your courses…": the early list was not this account's."""
        self._first_courses = []
        self._set_opening_page(QLabel(opening_text(), alignment=Qt.AlignmentFlag.AlignCenter))

    def attach(
        self,
        study: Study,
        sync: SyncController,
        runner: BackgroundRunner,
        search: Search,
        *,
        account_label: str,
    ) -> None:
        """Fill the frame with the pages of the account `study` belongs to."""
        from desktop_app.views.status_bar import SyncStatusBar

        self.study, self.sync, self.runner = study, sync, runner
        self.setWindowTitle(self.tr("Rounds — {account}").format(account=account_label))
        self._read_courses()  # SQLite reads them while the pages are built
        self._build_pages(search)
        if self._first_courses:  # shown until the read above replaces them
            self.catalog.show_courses(self._first_courses)
            self._first_courses = []
        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self._connect()
        self._on_status(sync.status)
        self.attached = True
        self._refresh_others()
        self.window_state.restore_splitters(self.pages)
        self.pages.built.connect(lambda _index, page: self.window_state.restore_splitters(page))
        self._build_lock(study.account.settings.idle_lock_minutes)
        from desktop_app.views.reminders import start_reminders

        self.reminders = start_reminders(self)
        from desktop_app.views.share_toggle import share_toggle_for

        self.share_toggle = share_toggle_for(
            self, study.sharing, runner, self.menu_actions.settings
        )
        self.settings_saved.connect(self.share_toggle.apply)

    def _build_pages(self, search: Search) -> None:
        from desktop_app.views.catalog.browser import CatalogBrowser
        from desktop_app.views.downloads.bridge import DownloadEvents
        from desktop_app.views.downloads.flow import DownloadFlow

        study = self.study
        self.catalog = CatalogBrowser(study.library.course, search, self.runner)
        self.download_events = DownloadEvents(study.downloads, self)
        self.download_flow = DownloadFlow(study.downloads, self.runner, self)
        self.continue_button = QPushButton()
        self.continue_button.setVisible(False)
        courses = QWidget()
        column = QVBoxLayout(courses)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.catalog, 1)
        self._set_opening_page(courses)
        self._lesson_index = add_lazy_pages(self)

    @property
    def residencies(self) -> ResidencyList:
        return cast("ResidencyList", self.pages.page(RESIDENCIES))

    @property
    def downloads(self) -> DownloadsPanel:
        return cast("DownloadsPanel", self.pages.page(DOWNLOADS))

    @property
    def storage(self) -> StoragePage:
        return cast("StoragePage", self.pages.page(STORAGE))

    @property
    def progress(self) -> ProgressPage:
        return cast("ProgressPage", self.pages.page(PROGRESS))

    @property
    def review(self) -> ReviewPage:
        return cast("ReviewPage", self.pages.page(REVIEW))

    @property
    def lesson_page(self) -> LessonPage:
        return cast("LessonPage", self.pages.page(self._lesson_index))

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._show_nav_page)
        self.menu_actions.set_enabled(True)
        self.sync.status_changed.connect(self._on_status)
        self.sync.synced.connect(self._on_synced)
        self.catalog.page.lesson_activated.connect(self.open_lesson)
        self.catalog.page.download_requested.connect(self.download_flow.request)
        self.catalog.page.lesson_download_requested.connect(self.download_flow.request_lesson)
        self.download_events.snapshot_changed.connect(self.catalog.page.show_downloads)
        self.download_flow.queued.connect(lambda _course, _count: self.nav.setCurrentRow(2))
        self.download_flow.refused.connect(self.status.showMessage)
        self.download_events.course_finished.connect(lambda _course: self.refresh())
        self.continue_button.clicked.connect(self._continue)

    def focus_search(self) -> None:
        """To the Courses page, with the cursor in the search box."""
        if not self.attached or self.locked:
            return
        self.nav.setCurrentRow(COURSES)
        self.catalog.focus_search()

    def sync_now(self) -> None:
        if self.attached:
            self.sync.sync_now()

    def refresh(self) -> None:
        """Re-read what the cache holds (after a sync, a download, a lesson, a sign-in).

        The course list, which may hold a thousand courses, is read off the UI thread."""
        self._read_courses()
        self._refresh_others()

    def _read_courses(self) -> None:
        """Start reading the course list, with the course the page shows; they come to
        `catalog`, which `attach` builds meanwhile."""
        from desktop_app.views.catalog.listing import read_listing

        library, catalog = self.study.library, getattr(self, "catalog", None)
        shown = catalog.courses.shown_rows() if catalog else ()
        course_id = catalog.page.course_id if catalog else ""
        read = partial(read_listing, library.courses, library.course, shown, course_id)
        self.runner.run(read, self._show_courses, self._show_error, serial=False)

    def _show_courses(self, listing: CourseListing) -> None:
        self.catalog.show_listing(listing)

    def _refresh_others(self) -> None:
        if self.pages.is_built(RESIDENCIES):  # a page not built yet reads when it is built
            self.residencies.refresh()
        if self.pages.is_built(STORAGE):
            self.storage.refresh()
        if self.pages.is_built(PROGRESS):
            self.progress.refresh()
        if self.pages.is_built(REVIEW):
            self.review.refresh()
        else:  # replaying a long history takes a tenth of a second: off the UI thread
            count = self.study.review.due_count
            self.runner.run(count, self.show_review_count, self._show_error, serial=False)
        self._show_continue()
        self.sync.refresh_pending()

    def show_review_count(self, due: int) -> None:
        """The questions due for review, in the navigation: "Review (3)"."""
        item = self.nav.item(REVIEW)
        if item is not None:
            item.setText(review_nav_title(due))
            self.nav.updateGeometry()  # "Review (12)" may be its widest name

    def _on_synced(self, summary: SyncOutcome) -> None:
        """Re-read the cache only when the sync changed something the learner sees."""
        self.reminders.rearm()  # the schedule may have moved
        if summary.changed:
            self.refresh()
        else:
            self.refresh_pending()

    def refresh_pending(self) -> None:
        """Re-count what waits for upload (a lesson, a check-in queued offline)."""
        if self.pages.is_built(PROGRESS):
            self.progress.refresh()
        self.sync.refresh_pending()

    def _show_error(self, error: Exception) -> None:
        from desktop_app.error_text import describe

        self.status.showMessage(localized(describe(error).message))

    def _show_continue(self) -> None:
        show = self._show_continue_lesson
        self.runner.run(self._read_continue, show, self._show_error, serial=False)

    def _read_continue(self) -> LessonRow | None:
        """On a worker: the lesson to continue, if any."""
        state = self.study.progress.continue_where_left_off()
        return self.study.library.lesson(state.lesson_id) if state else None

    def _show_continue_lesson(self, lesson: LessonRow | None) -> None:
        self._continue_lesson = lesson
        self.continue_button.setVisible(lesson is not None)
        if lesson is not None:
            # once shown, its room stays: the page never moves under the pointer again
            keep_room = self.continue_button.sizePolicy()
            keep_room.setRetainSizeWhenHidden(True)
            self.continue_button.setSizePolicy(keep_room)
            words = self.tr("▶ Continue where you left off: {title}").format(title=lesson.title)
            self.continue_button.setText(words)

    def _continue(self) -> None:
        if self._continue_lesson is not None:
            self.open_lesson(self._continue_lesson)

    def open_lesson(self, lesson: LessonRow) -> None:
        if self.lesson_page.open_lesson(lesson):
            self.nav.clearSelection()
            self.pages.setCurrentWidget(self.lesson_page)
        else:
            self.status.showMessage(
                self.tr("This lesson is no longer in the catalog. Sync to refresh it.")
            )

    def show_course(self, course_id: str) -> None:
        self.nav.setCurrentRow(0)
        self.pages.setCurrentIndex(0)
        self.catalog.select_course(course_id)

    def back_to_course(self, course_id: str) -> None:
        """Back to the course; what the lesson recorded starts uploading at once."""
        self.refresh()
        self.show_course(course_id)
        self.sync.sync_now()

    def close_lesson(self) -> None:
        """Close the open lesson, if any (its last position is written)."""
        if self.pages.is_built(self._lesson_index):
            self.lesson_page.close_lesson()

    def _show_nav_page(self, row: int) -> None:
        if row < 0:
            return
        self.close_lesson()
        self.pages.show_page(row)

    def _on_status(self, status: SyncStatus) -> None:
        self.status.show_status(status)
        self.menu_actions.sync.setEnabled(not status.syncing)
        if self.pages.is_built(PROGRESS):
            self.progress.set_syncing(status.syncing)

    def about(self) -> None:
        show_about(self)

    @property
    def sync_action(self) -> QAction:
        return self.menu_actions.sync

    # settings and the idle lock

    def settings_dialog(self) -> SettingsDialog:
        """The settings dialog for this window, not yet shown."""
        from desktop_app.config import load_settings, machine_policy
        from desktop_app.views.settings_dialog import SettingsDialog

        locked = machine_policy().locked
        dialog = SettingsDialog(load_settings(), locked=locked, parent=self)
        dialog.saved.connect(self._apply_settings)
        return dialog

    def open_settings(self) -> None:
        dialog = self.settings_dialog()
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def import_course_package(self) -> None:
        from desktop_app.views.package_import import PackageImport

        self.package_import = PackageImport.for_study(self, self.runner, self.study)
        self.package_import.imported.connect(lambda _result: self.refresh())
        self.package_import.choose_and_import()

    def _apply_settings(self, settings: Settings) -> None:
        """What applies at once: the idle lock and the sync interval (theme and text size
        the dialog applies itself); then the window's users hear of it."""
        if self.window_lock is not None:
            self.window_lock.watch.set_minutes(settings.idle_lock_minutes)
        self.sync.set_interval(settings.sync_interval_minutes)
        self.reminders.set_enabled(settings.residency_reminders)
        self.settings_saved.emit(settings)

    def _build_lock(self, minutes: int) -> None:
        """The lock of a shared workstation: the password (or the offline passcode of a
        learner who signs in with the organisation) is checked on this computer."""
        from desktop_app.offline_sign_in import CachedLogon
        from desktop_app.views.idle_lock import WindowLock

        account = self.study.account
        logon = CachedLogon(account.paths.root)
        self.window_lock = WindowLock(
            self, account.display_name, logon.check, self.runner, minutes,
            passcode=logon.passcode_kept,
        )  # fmt: skip
        self.window_lock.sign_out_requested.connect(self.sign_out_requested)

    @property
    def locked(self) -> bool:
        return self.window_lock is not None and self.window_lock.locked

    def lock(self) -> None:
        """Cover the window with the lock panel; nothing under it is closed (media pause)."""
        if self.window_lock is not None:
            self.window_lock.lock()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.window_state.save()
        if self.attached:
            self.close_lesson()
            self.download_events.close()
            self.sync.stop()
            self.reminders.stop()
            self.share_toggle.close()
        if self.window_lock is not None:
            self.window_lock.close()
        super().closeEvent(event)
