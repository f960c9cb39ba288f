"""A tour of every page and dialog of the window, for the tests that look at all of them
(translation, keyboard, contrast, clipping) and for `make screenshots`.

    shell = Shell(app, demo_url=server.url)
    shell.start(None, None)
    for name, widget in tour(shell, server):
        ...  # widget is shown and settled: grab it, walk it, read its texts

Pages are yielded as the main window showing them; dialogs as the dialog, shown without a
modal loop of its own and closed once the consumer moves on. A page or dialog this version of
the app does not have is left out (`Tour.skipped` names it). The tour downloads the
foundations course on the way, so that every lesson player can be opened.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from desktop_app.catalog.library import DOWNLOADED, NOT_DOWNLOADED, LessonRow
from desktop_app.gui.shell import Shell
from desktop_app.residency import ResidencyDetail
from desktop_app.views.main_window import MainWindow
from reference_server.server import ReferenceServer

COURSE = "c-foundations"
NOT_DOWNLOADED_COURSE = "c-privacy"
RESIDENCY = "r-2027-chicago"
SEARCH_FOUND, SEARCH_NOTHING = "privacy", "zebra"
LESSON_KINDS = ("video", "reading", "audio", "pdf", "quiz")
COURSES, RESIDENCIES, DOWNLOADS, STORAGE, PROGRESS, REVIEW = range(6)

QT_LOG_IGNORE = ("propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire")
"""What Qt may log while the players open offscreen: `pytest.mark.qt_log_ignore(*...)`."""

STOPS = (
    "catalog",
    "search",
    "search-empty",
    "download-confirm",
    "course-downloading",
    "downloads-active",
    "course",
    "downloads",
    *(f"lesson-{kind}" for kind in LESSON_KINDS),
    "lesson-online",
    "residencies",
    "residency",
    "residency-reminder",
    "badge",
    "progress",
    "review",
    "storage",
    "certificate",
    "sign-in",
    "settings",
    "about",
    "locked",
)
"""Every stop, in the order the tour makes them."""


def wait_until(condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Run Qt's events until `condition()` is true; TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"still waiting after {timeout} s")
        QTest.qWait(20)


def settle(shell: Shell, timeout: float = 20.0) -> None:
    """Until the background work is done and posted events (layouts, paints) have run."""
    wait_until(lambda: not shell.runner.busy, timeout)
    QTest.qWait(60)
    QApplication.processEvents()


class Tour:
    """Walks `shell`'s window; iterate it for `(name, widget)` pairs."""

    def __init__(self, shell: Shell, server: ReferenceServer | None = None) -> None:
        self.shell, self.server = shell, server
        self.skipped: list[str] = []
        self.dialogs: list[QDialog] = []

    @property
    def window(self) -> MainWindow:
        assert self.shell.window is not None, "start the shell before the tour"
        return self.shell.window

    def __iter__(self) -> Iterator[tuple[str, QWidget]]:
        window = self.window
        wait_until(lambda: window.attached and window.catalog.courses.rowCount() >= 3)
        wait_until(lambda: not window.sync.status.syncing)
        yield from self._catalog()
        yield from self._download()
        yield from self._lessons()
        yield from self._residencies()
        yield from self._page("progress", PROGRESS)
        yield from self._page("review", REVIEW)
        yield from self._page("storage", STORAGE)
        yield from self._certificate()
        yield from self._sign_in()
        yield from self._settings()
        yield from self._about()
        yield from self._locked()
        self._show_page(COURSES)

    # pages of the window

    def _show_page(self, row: int) -> MainWindow:
        window = self.window
        window.nav.setCurrentRow(row)
        window.pages.show_page(row)
        settle(self.shell)
        return window

    def _page(self, name: str, row: int) -> Iterator[tuple[str, QWidget]]:
        yield name, self._show_page(row)

    def _catalog(self) -> Iterator[tuple[str, QWidget]]:
        window = self._show_page(COURSES)
        catalog = window.catalog
        catalog.select_course(COURSE)
        settle(self.shell)
        yield "catalog", window
        for name, text in (("search", SEARCH_FOUND), ("search-empty", SEARCH_NOTHING)):
            self._search(text)
            yield name, window
        catalog.search_box.clear()
        settle(self.shell)
        catalog.select_course(COURSE)
        settle(self.shell)

    def _search(self, text: str) -> None:
        catalog = self.window.catalog
        found: list[str] = []
        catalog.lessons_found.connect(found.append)
        try:
            catalog.search_box.setText(text)
            wait_until(lambda: text in found)
        finally:
            catalog.lessons_found.disconnect(found.append)
        settle(self.shell)

    def _download(self) -> Iterator[tuple[str, QWidget]]:
        """The confirmation (answered "no"), then the course and the downloads page while the
        course downloads (the server holds two files back), then both once it is done."""
        window = self._show_page(COURSES)
        flow = window.download_flow
        with dialogs_shown_not_run() as shown:
            window.catalog.page.download.click()
            wait_until(lambda: bool(shown))
            settle(self.shell)
            yield "download-confirm", shown[0]
        close_all(shown)
        if self.server is not None:
            self.server.faults.add("/api/v1/assets/", delay=3.0, count=2)
        flow.confirm = lambda *_args, **_kwargs: True
        window.catalog.page.download.click()
        wait_until(lambda: self._course_state() != NOT_DOWNLOADED or window.nav.currentRow() == 2)
        self._show_page(COURSES)
        window.catalog.select_course(COURSE)
        yield "course-downloading", window
        yield "downloads-active", self._show_page(DOWNLOADS)
        wait_until(lambda: self._course_state() == DOWNLOADED, timeout=60)
        window.refresh()
        self._show_page(COURSES)
        window.catalog.select_course(COURSE)
        settle(self.shell)
        yield "course", window
        yield "downloads", self._show_page(DOWNLOADS)
        yield from self._sharing()

    def _sharing(self) -> Iterator[tuple[str, QWidget]]:
        """The downloads page while the course is shared with Rounds nearby (then off)."""
        toggle = self.window.share_toggle
        toggle.action.trigger()
        wait_until(toggle.indicator.isVisible)
        yield "downloads-sharing", self._show_page(DOWNLOADS)
        toggle.action.trigger()

    def _course_state(self) -> str:
        study = self.shell.study
        assert study is not None
        rows = {row.id: row for row in study.library.courses()}
        return rows[COURSE].download_state

    def _lessons_by_kind(self, course_id: str) -> dict[str, LessonRow]:
        study = self.shell.study
        assert study is not None
        detail = study.library.course(course_id)
        assert detail is not None
        lessons: dict[str, LessonRow] = {}
        for module in detail.modules:
            for lesson in module.lessons:
                lessons.setdefault(lesson.kind, lesson)
        return lessons

    def _lessons(self) -> Iterator[tuple[str, QWidget]]:
        """Each player of the downloaded course, then a video of a course not downloaded,
        which plays from the server."""
        lessons = self._lessons_by_kind(COURSE)
        window = self.window
        for kind in LESSON_KINDS:
            if kind not in lessons:
                self.skipped.append(f"lesson-{kind}")
                continue
            window.open_lesson(lessons[kind])
            settle(self.shell)
            QTest.qWait(200)  # a player's first frame or page
            yield f"lesson-{kind}", window
            window.close_lesson()
        online = self._lessons_by_kind(NOT_DOWNLOADED_COURSE).get("video")
        if online is None:
            self.skipped.append("lesson-online")
        else:
            window.open_lesson(online)
            settle(self.shell)
            QTest.qWait(300)
            yield "lesson-online", window
            window.close_lesson()
        settle(self.shell)

    def _residencies(self) -> Iterator[tuple[str, QWidget]]:
        window = self._show_page(RESIDENCIES)
        residencies = window.residencies
        residencies.show_list()
        settle(self.shell)
        yield "residencies", window
        if not residencies.open_residency(RESIDENCY):
            self.skipped += ["residency", "badge"]
            return
        settle(self.shell)
        yield "residency", window
        page = residencies.page
        if page is not None and page.detail is not None and page.detail.sessions:
            show_session_reminder(window, page.detail)
            yield "residency-reminder", window
            window.status.clearMessage()
        else:
            self.skipped.append("residency-reminder")
        badge = page.show_badge() if page is not None else None
        if badge is None:
            self.skipped.append("badge")
        else:
            settle(self.shell)
            yield "badge", badge
            badge.close()
        residencies.show_list()

    def _certificate(self) -> Iterator[tuple[str, QWidget]]:
        """A course completed here, its certificate brought by a sync: the course page offers
        to save it."""
        window, study = self.window, self.shell.study
        if study is None or not hasattr(study, "certificates"):
            self.skipped.append("certificate")
            return
        complete_course(study, NOT_DOWNLOADED_COURSE)
        wait_until(lambda: not window.sync.status.syncing)
        window.sync.sync_now()
        kept = study.certificates.kept
        wait_until(lambda: NOT_DOWNLOADED_COURSE in kept().tokens, timeout=30)
        wait_until(lambda: not window.sync.status.syncing)
        window.refresh()
        self._show_page(COURSES)
        window.catalog.select_course(NOT_DOWNLOADED_COURSE)
        settle(self.shell)
        yield "certificate", window

    # dialogs

    def _sign_in(self) -> Iterator[tuple[str, QWidget]]:
        from desktop_app.views.sign_in import SignInDialog

        shell = self.shell
        dialog = SignInDialog(
            shell.runner,
            lambda *_args: None,
            str,
            server_url=shell.demo_url,
            username="ana",
        )
        yield from self._dialog("sign-in", dialog)

    def _settings(self) -> Iterator[tuple[str, QWidget]]:
        dialog = settings_dialog(self.shell)
        if dialog is None:
            self.skipped.append("settings")
            return
        yield from self._dialog("settings", dialog)

    def _about(self) -> Iterator[tuple[str, QWidget]]:
        with dialogs_shown_not_run() as shown:
            about = getattr(self.window, "_about", None) or getattr(self.window, "about", None)
            if about is None:
                self.skipped.append("about")
                return
            about()
            wait_until(lambda: bool(shown), timeout=5)
            settle(self.shell)
            yield "about", shown[0]
        close_all(shown)

    def _locked(self) -> Iterator[tuple[str, QWidget]]:
        """The window covered by its idle lock, then unlocked again."""
        window, lock = self.window, getattr(self.window, "window_lock", None)
        if lock is None:
            self.skipped.append("locked")
            return
        self._show_page(COURSES)
        lock.lock()
        settle(self.shell)
        yield "locked", window
        lock.unlock()
        settle(self.shell)

    def _dialog(self, name: str, dialog: QDialog) -> Iterator[tuple[str, QWidget]]:
        dialog.show()
        settle(self.shell)
        try:
            yield name, dialog
        finally:
            dialog.close()
            dialog.deleteLater()


def show_session_reminder(window: MainWindow, detail: ResidencyDetail) -> None:
    """The first session's reminder in the status bar, as the window shows it where the
    system has no tray (its moment is not now, so the scheduler would not show it)."""
    from desktop_app.residency.reminders import ReminderKind, residency_reminders
    from desktop_app.views.reminders import ReminderNotifier, Route

    marked = {detail.sessions[0].id}
    reminders = residency_reminders(detail, marked)
    session = next(r for r in reminders if r.kind is ReminderKind.SESSION)
    ReminderNotifier(window.status.showMessage, Route.STATUS, window)(session)


def complete_course(study: Any, course_id: str) -> None:
    """Every lesson of the course completed here, its quiz passed."""
    from desktop_app.progress.xapi import LessonRef

    detail = study.library.course(course_id)
    assert detail is not None
    with study.account.db.session() as session:
        for module in detail.modules:
            for lesson in module.lessons:
                ref = LessonRef(lesson.id, course_id, lesson.title, lesson.kind)
                if lesson.kind == "quiz":
                    study.progress.quiz_result(session, ref, 1.0, True, {}, out_of=1)
                else:
                    study.progress.completed(session, ref)


def tour(shell: Shell, server: ReferenceServer | None = None) -> Iterator[tuple[str, QWidget]]:
    """Every page and dialog of `shell`'s started window; see `Tour`."""
    return iter(Tour(shell, server))


def settings_dialog(shell: Shell) -> QDialog | None:
    """The settings dialog, when the app has one."""
    try:
        module = importlib.import_module("desktop_app.views.settings_dialog")
    except ImportError:
        return None
    window = shell.window
    opener = getattr(window, "settings_dialog", None)
    if callable(opener):
        made = opener()
        return made if isinstance(made, QDialog) else None
    dialog_class = getattr(module, "SettingsDialog", None)
    if dialog_class is None:
        return None
    made = dialog_class(shell.settings, parent=window)
    return made if isinstance(made, QDialog) else None


@contextmanager
def dialogs_shown_not_run() -> Iterator[list[QDialog]]:
    """While open, a message box or dialog the app runs (`QMessageBox.question(...)`,
    `box.exec()`) is shown and appended to the list instead, and its call returns at once
    as if the learner had cancelled."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> int:
        dialog.setModal(False)
        dialog.show()
        shown.append(dialog)
        return int(QDialog.DialogCode.Rejected)

    def static(icon: QMessageBox.Icon, ok: QMessageBox.StandardButton) -> Any:
        def box(parent: QWidget | None, title: str, text: str, *args: Any, **kw: Any) -> Any:
            buttons = args[0] if args else kw.get("buttons", ok)
            message = QMessageBox(icon, title, text, buttons, parent)
            run(message)
            return QMessageBox.StandardButton.No if icon is QUESTION else ok

        return box

    QUESTION = QMessageBox.Icon.Question
    Ok = QMessageBox.StandardButton.Ok
    patches: dict[tuple[type[QObject], str], Any] = {
        (QMessageBox, "question"): static(QUESTION, QMessageBox.StandardButton.No),
        (QMessageBox, "warning"): static(QMessageBox.Icon.Warning, Ok),
        (QMessageBox, "information"): static(QMessageBox.Icon.Information, Ok),
        (QMessageBox, "critical"): static(QMessageBox.Icon.Critical, Ok),
        (QMessageBox, "about"): lambda parent, title, text: run(
            QMessageBox(QMessageBox.Icon.Information, title, text, Ok, parent)
        ),
        (QMessageBox, "exec"): run,
        (QDialog, "exec"): run,
    }
    saved = {key: key[0].__dict__.get(key[1]) for key in patches}
    for (owner, name), replacement in patches.items():
        setattr(owner, name, staticmethod(replacement) if name != "exec" else replacement)
    try:
        yield shown
    finally:
        for (owner, name), original in saved.items():
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def close_all(dialogs: list[QDialog]) -> None:
    for dialog in dialogs:
        dialog.close()
        dialog.deleteLater()
    dialogs.clear()
