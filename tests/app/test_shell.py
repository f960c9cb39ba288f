"""The application as a learner meets it: signed in, synced, downloaded, studied offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.catalog.library import DOWNLOADED
from desktop_app.gui import shell as app_module
from desktop_app.gui.shell import Shell
from desktop_app.progress import Pending
from desktop_app.sync.reconciliation import UNCHECKED_AT_SIGN_OUT
from desktop_app.views.main_window import MainWindow
from desktop_app.views.status_colours import PLAIN
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)


@pytest.fixture
def shell(qapp: QApplication, reference_server: ReferenceServer) -> Iterator[Shell]:
    shell = Shell(qapp, demo_url=reference_server.url)
    yield shell
    shell.close_window()


def test_demo_sign_in_syncs_and_shows_the_catalog(shell: Shell, qtbot: QtBot) -> None:
    assert shell.start(None, None)
    window = shell.window
    assert window is not None and window.demo_badge.isVisible()
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == 3, timeout=20_000)
    assert window.sync.status.last_success is not None
    assert "Ana" in window.windowTitle()
    assert window.residencies.isEnabled()


def test_no_cache_connection_waits_idle_once_the_start_is_done(shell: Shell, qtbot: QtBot) -> None:
    """Each pooled connection keeps SQLite's page cache (up to 2 MB) for as long as the
    window stays open: once the start's work is done, the pool holds none."""
    assert shell.start(None, None)
    account, study, idle = shell.account, shell.study, []
    assert account is not None and study is not None
    pool = lambda: account.db.engine.pool  # noqa: E731
    shell.runner.busy_changed.connect(lambda busy: busy or idle.append(pool().checkedin()))
    qtbot.waitUntil(lambda: bool(idle), timeout=20_000)
    assert idle[0] == 0
    assert study.pending().empty  # the cache reads as before, through a new connection


@pytest.mark.expect_log("desktop_app.sync.engine", "Could not reach the server")
def test_download_a_course_then_study_a_quiz_offline(
    shell: Shell, qtbot: QtBot, reference_server: ReferenceServer
) -> None:
    assert shell.start(None, None)
    window = shell.window
    assert window is not None
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == 3, timeout=20_000)
    window.catalog.select_course("c-foundations")
    questions: list[str] = []
    window.download_flow.confirm = lambda _parent, _title, text: questions.append(text) or True
    window.catalog.page.download.click()
    qtbot.waitUntil(lambda: bool(questions), timeout=10_000)
    assert "— 7 files, 328" in questions[0] and "will be left on this disk." in questions[0]

    def downloaded() -> bool:
        rows = {row.id: row for row in shell.study.library.courses()}  # type: ignore[union-attr]
        return rows["c-foundations"].download_state == DOWNLOADED

    qtbot.waitUntil(downloaded, timeout=30_000)
    qtbot.waitUntil(lambda: not window.sync.status.syncing, timeout=30_000)
    reference_server.stop()

    detail = shell.study.library.course("c-foundations")  # type: ignore[union-attr]
    assert detail is not None
    quiz = next(row for m in detail.modules for row in m.lessons if row.kind == "quiz")
    window.open_lesson(quiz)
    assert window.pages.currentWidget() is window.lesson_page
    assert window.lesson_page.player is not None
    window.lesson_page.leave()
    assert window.pages.currentIndex() == 0
    qtbot.waitUntil(lambda: window.continue_button.isVisible(), timeout=5_000)
    assert quiz.title in window.continue_button.text()
    qtbot.waitUntil(lambda: window.sync.status.last_error != "", timeout=30_000)  # the quiz's
    assert not window.sync.status.online  # upload, tried at once, waits for the server


def test_sign_out_with_a_lesson_open_keeps_its_progress(
    shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Pending] = []
    monkeypatch.setattr(app_module, "confirm_sign_out", lambda _parent, n: asked.append(n) or True)
    monkeypatch.setattr(shell, "ask_sign_in", lambda *_args, **_kw: False)
    assert shell.start(None, None)
    window, study = shell.window, shell.study
    assert window is not None and study is not None
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == 3, timeout=20_000)
    qtbot.waitUntil(lambda: not window.sync.status.syncing, timeout=20_000)
    detail = study.library.course("c-foundations")
    assert detail is not None
    quiz = next(row for m in detail.modules for row in m.lessons if row.kind == "quiz")
    window.open_lesson(quiz)
    account_folder = study.account.paths.root

    shell.sign_out()

    assert asked and asked[0].lessons == 1, "the open lesson's progress must be counted as waiting"
    assert account_folder.is_dir(), "progress still waiting must not be deleted at sign-out"
    assert shell.window is None and shell.account is None


def test_sign_out_with_everything_uploaded_leaves_nothing_behind(
    shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = _signing_out(shell, qtbot, monkeypatch)
    assert shell.study is not None
    account_folder = shell.study.account.paths.root
    shell.sign_out()
    assert not account_folder.exists()
    assert notes == [("", PLAIN)]  # the reconciliation finished: nothing to say


def test_sign_out_out_of_time_says_the_rest_is_checked_at_the_next_sign_in(
    shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = _signing_out(shell, qtbot, monkeypatch)
    study = shell.study
    assert study is not None
    bounded = study.reconcile_before_sign_out
    monkeypatch.setattr(study, "reconcile_before_sign_out", lambda: bounded(within=0))
    shell.sign_out()
    assert notes == [(UNCHECKED_AT_SIGN_OUT, PLAIN)]  # news, not an error


def _signing_out(
    shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str]]:
    """The demo learner's window, synced, whose sign-out is confirmed; the notes the sign-in
    dialog is then opened with."""
    monkeypatch.setattr(app_module, "confirm_sign_out", lambda _parent, _n: True)
    notes: list[tuple[str, str]] = []
    monkeypatch.setattr(shell, "ask_sign_in", lambda _u, _n, note, tone: notes.append((note, tone)))
    assert shell.start(None, None)
    window = shell.window
    assert window is not None
    qtbot.waitUntil(lambda: window.sync.status.last_success is not None, timeout=20_000)
    return notes


def _broken(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("a fault while the window is being built")


def _shown_main_windows(qapp: QApplication) -> list[QWidget]:
    return [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


@pytest.mark.expect_log("desktop_app.gui.shell", "could not be built")
def test_a_window_that_fails_while_being_built_leaves_nothing_running(
    shell: Shell, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "MainWindow", _broken)
    with pytest.raises(RuntimeError):
        shell.start(None, None)
    assert (shell.account, shell.study, shell.controller, shell.window) == (None,) * 4
    assert not shell.runner.busy


@pytest.mark.expect_log("desktop_app.gui.shell", "could not be built")
def test_a_fault_after_the_window_is_shown_closes_it_and_stops_its_sync(
    shell: Shell, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module.SyncController, "start", _broken)
    with pytest.raises(RuntimeError):
        shell.start(None, None)
    assert _shown_main_windows(qapp) == []
    assert (shell.account, shell.study, shell.controller, shell.window) == (None,) * 4
    assert not shell.runner.busy


def test_settings_saved_in_the_window_are_the_shells_next_sign_in(
    shell: Shell, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QLineEdit

    assert shell.start(None, None)
    window = shell.window
    assert window is not None and window.menu_actions.settings.isEnabled()
    dialog = window.settings_dialog()
    qtbot.addWidget(dialog)
    server = dialog.fields["server_url"].editor
    assert isinstance(server, QLineEdit)
    server.setText("https://learning.hospital.example")
    dialog.save()
    assert shell.settings.server_url == "https://learning.hospital.example"
