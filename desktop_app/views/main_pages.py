"""The main window's pages that are built the first time they are shown: the residencies,
downloads, storage, progress, review and the lesson player, each wired to the window that
holds them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop_app.views.certificate_saver import CertificateSaver
    from desktop_app.views.main_window import MainWindow


def add_lazy_pages(window: MainWindow) -> int:
    """Give `window.pages` the residency, downloads, storage, progress, review and lesson pages, in
    the navigation's order; returns the index of the lesson page."""
    pages = window.pages
    saver = _certificate_saver(window)
    pages.add_lazy(lambda: _residencies(window))
    pages.add_lazy(lambda: _downloads(window))
    pages.add_lazy(lambda: _storage(window))
    pages.add_lazy(lambda: _progress(window, saver))
    pages.add_lazy(lambda: _review(window))
    return pages.add_lazy(lambda: _lesson_page(window))


def _residencies(window: MainWindow) -> QWidget:
    from desktop_app.views.residency.list_page import ResidencyList

    page = ResidencyList(window.study.residencies, window.runner)
    page.continue_course.connect(window.show_course)
    if page.page is not None:  # a check-in queued offline waits for upload too
        page.page.checked_in.connect(lambda _result: window.refresh_pending())
    page.refresh()
    return page


def _downloads(window: MainWindow) -> QWidget:
    from desktop_app.views.downloads.panel import DownloadsPanel

    return DownloadsPanel(window.study.downloads, window.download_events, window.runner)


def _storage(window: MainWindow) -> QWidget:
    from desktop_app.downloads.units import MB
    from desktop_app.views.downloads.storage_page import StoragePage

    floor = window.study.account.settings.disk_floor_mb * MB
    page = StoragePage(window.study.storage, window.runner, floor_bytes=floor)
    page.downloads_removed.connect(lambda _course: window.refresh())
    return page


def _certificate_saver(window: MainWindow) -> CertificateSaver:
    """Saves certificates from the course page and the Progress page."""
    from desktop_app.views.certificate_saver import CertificateSaver

    saver = CertificateSaver(window.study.certificates, window)
    window.catalog.page.certificate_requested.connect(saver.save)
    return saver


def _progress(window: MainWindow, saver: CertificateSaver) -> QWidget:
    from desktop_app.views.progress import ProgressPage

    study = window.study
    page = ProgressPage(
        study.outbox_queue, study.progress_exchange, window.runner, learner=study.learner
    )
    page.sync_requested.connect(window.sync.sync_now)
    page.learner.certificate_requested.connect(saver.save)
    page.progress_imported.connect(lambda _count: window.refresh())
    page.refresh()
    page.set_syncing(window.sync.status.syncing)
    return page


def _review(window: MainWindow) -> QWidget:
    from desktop_app.views.review.page import ReviewPage

    library = window.study.library

    def course_title(course_id: str) -> str:
        detail = library.course(course_id)
        return detail.course.title if detail is not None else course_id

    page = ReviewPage(window.study.review, course_title, window.runner)
    page.due_changed.connect(window.show_review_count)
    page.refresh()
    return page


def _lesson_page(window: MainWindow) -> QWidget:
    from desktop_app.views.player.lesson_page import LessonPage

    study = window.study
    page = LessonPage(
        study.lesson_files,
        study.progress.recorder_for,
        course_of=study.library.course,
        online=study.downloads.online.open,
        runner=window.runner,
    )
    flow = window.download_flow
    page.download_requested.connect(flow.request_lesson)
    flow.lesson_queued.connect(lambda lesson, _n: page.lesson_download_queued(lesson))
    page.back_requested.connect(window.back_to_course)
    page.lesson_changed.connect(lambda _course: window.refresh())
    return page
