"""A start paints the window, then the course list, before the account's modules load, and
builds the residency, storage, progress and lesson pages only when they are first shown."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from server_fixture import DEMO_PASSWORD, DEMO_USER

from benchmarks.file_keyring import FILE_VARIABLE, FileKeyring
from desktop_app.account import Account
from desktop_app.catalog.first_list import read_first_list
from desktop_app.catalog.rows import NOT_DOWNLOADED, CourseRow
from desktop_app.gui.launch import _Start
from desktop_app.gui.shell import Shell
from desktop_app.views.language import install_translators, remove_translators
from desktop_app.views.main_window import OPENING, PROGRESS, RESIDENCIES, STORAGE, MainWindow
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)
ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_MODULES = {"sqlalchemy", "requests", "keyring", "alembic"}
FIRST_USE_MODULES = {
    "alembic",
    "PySide6.QtMultimedia",
    "PySide6.QtPdf",
    "webvtt",
    "icalendar",
    "segno",
}
# Loaded when the learner first asks for them, never by the idle window of an opened account.
NOT_IN_THE_IDLE_WINDOW = FIRST_USE_MODULES | {
    "cryptography",
    "pypac",
    "zeroconf",
    "fsrs",
    "http.server",
    "desktop_app.downloads.relay",
    "desktop_app.diagnostics",
    "desktop_app.packages",
    "desktop_app.views.player",
    "desktop_app.views.progress",
    "desktop_app.views.residency",
    "desktop_app.views.settings_dialog",
    "desktop_app.views.package_import",
    "PySide6.QtNetwork",  # the second launch's doorbell is a Unix socket (Windows: a pipe)
    # the network stack and the sync: loaded by the first request, the sync runs in a child
    "requests",
    "urllib3",
    "socks",
    "certifi",
    "charset_normalizer",
    "idna",
    "truststore",
    "desktop_app.api.transport",
    "desktop_app.api.xapi",
    "desktop_app.sync.engine",
    "desktop_app.sync.progress_round",
    "desktop_app.sync.outbox",
    "desktop_app.sync.statements_pull",
    "desktop_app.sync.reconciliation",
    # the sign-in and the services a window resumed from the keyring does not run at start
    "desktop_app.api.documents",
    "desktop_app.api.sso",
    "desktop_app.sso",
    "desktop_app.views.sign_in",
    "desktop_app.views.organisation_sign_in",
    "desktop_app.views.offline_passcode",
    "desktop_app.residency.checkin",
    "desktop_app.residency.calendar_export",
    "desktop_app.downloads.storage",
    "desktop_app.progress.exchange",
    "desktop_app.gui.pipe_doorbell",
    "desktop_app.views.downloads.panel",  # the Downloads page, built when first shown
}


def signed_in_home(
    server: ReferenceServer, home: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The demo learner signed in and synced, tokens in a keyring file a child process reads."""
    monkeypatch.setenv(FILE_VARIABLE, str(home.parent / "keyring.json"))
    keyring.set_keyring(FileKeyring())  # the conftest puts the usual one back after
    account = Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD)
    account.sync()
    account.close()
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "benchmarks.file_keyring.FileKeyring",
        "QT_QPA_PLATFORM": "offscreen",
        "ROUNDS_REPORT_PAINT": "1",
        "ROUNDS_EXIT_AFTER": "course-list",
    }


def script_result(env: dict[str, str], script: str, argument: object) -> Any:
    """What `script`, run in a child process with `argument` as JSON, printed last as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(argument)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def imported_before(lines: list[str], milestone: str) -> set[str]:
    """Modules `-X importtime` reported before the probe's line for `milestone`."""
    end = next(n for n, line in enumerate(lines) if line.startswith(f"rounds-startup {milestone}"))
    return {
        line.rsplit("|", 1)[1].strip() for line in lines[:end] if line.startswith("import time:")
    }


def test_the_window_and_then_the_course_list_paint_before_the_account_modules_load(
    reference_server: ReferenceServer, rounds_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = signed_in_home(reference_server, rounds_home, monkeypatch)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desktop_app"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one pipe: the probe's lines fall between the imports
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    lines = done.stdout.splitlines()
    before_paint = {name.split(".")[0] for name in imported_before(lines, "first-paint")}
    before_list = {name.split(".")[0] for name in imported_before(lines, "course-list")}
    assert before_paint & ACCOUNT_MODULES == set()
    assert before_list & ACCOUNT_MODULES == set()
    assert imported_before(lines, "course-list") & FIRST_USE_MODULES == set()


def test_the_idle_window_of_an_opened_account_leaves_the_first_use_modules_unloaded(
    reference_server: ReferenceServer,
    rounds_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    env = signed_in_home(reference_server, rounds_home, monkeypatch)
    hook, listing = tmp_path / "hook", tmp_path / "modules.txt"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(MODULES_AT_EXIT)
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app"],
        env={
            **env,
            "ROUNDS_EXIT_AFTER": "settled",
            "PYTHONPATH": os.pathsep.join((str(hook), env["PYTHONPATH"])),
            "ROUNDS_TEST_MODULES": str(listing),
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = set(listing.read_text().split())
    assert "desktop_app.study" in imported  # the account was opened and its window filled
    loaded = {
        name for name in imported if any(_within(name, root) for root in NOT_IN_THE_IDLE_WINDOW)
    }
    assert loaded == set()


# The window's own modules when it quits at `settled`; not its sync's, which runs in a child
# process of its own (started with spawn: its command is `-c ...`, not `desktop_app`).
MODULES_AT_EXIT = """
import atexit, os, sys

def _write():
    if sys.argv and sys.argv[0].endswith(os.path.join("desktop_app", "__main__.py")):
        with open(os.environ["ROUNDS_TEST_MODULES"], "w") as listing:
            listing.write("\\n".join(sorted(sys.modules)))

atexit.register(_write)
"""


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_window_keeps_the_early_list_until_the_library_has_read(
    qapp: QApplication, qtbot: QtBot, account: Account
) -> None:
    account.sync()
    first = read_first_list(None, None)
    assert first is not None and len(first.courses) == 3
    frame = MainWindow()
    frame.show()
    shown = frame.show_first_courses(first.courses)
    assert frame.pages.currentWidget() is shown and shown.model().rowCount() == 3
    shell = Shell(qapp, frame=frame)
    try:
        assert shell.start_with(account, None, None)
        window = shell.window
        assert window is frame
        assert window.catalog.courses.rowCount() == 3  # before the library's read is delivered
        assert window.catalog.page.course_id == first.courses[0].id
        qtbot.waitUntil(lambda: not shell.runner.busy, timeout=20_000)
        shown_ids = [window.catalog.courses.row_at(n).id for n in range(3)]
        assert shown_ids == [course.id for course in first.courses]
    finally:
        shell.close_window()


def test_another_accounts_early_list_is_not_kept(qapp: QApplication, qtbot: QtBot) -> None:
    frame = MainWindow()
    qtbot.addWidget(frame)
    frame.show_first_courses([CourseRow("c", "A course", "", 1, 1, NOT_DOWNLOADED)])
    frame.forget_first_courses()
    assert isinstance(frame.pages.currentWidget(), QLabel)
    assert frame.pages.count() == 1


def test_pages_are_built_when_first_shown(demo_window: MainWindow, qtbot: QtBot) -> None:
    window = demo_window
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == 3, timeout=20_000)
    assert not any(window.pages.is_built(page) for page in (RESIDENCIES, STORAGE, PROGRESS))
    window.nav.setCurrentRow(PROGRESS)
    assert window.pages.currentWidget() is window.progress
    assert window.progress.pending.text() != ""  # read from the cache when it was built
    window.nav.setCurrentRow(RESIDENCIES)
    assert window.pages.currentWidget() is window.residencies
    assert window.residencies.model.rowCount() > 0
    assert not window.pages.is_built(STORAGE)


def test_the_frame_shows_and_closes_without_an_account(qapp: QApplication, qtbot: QtBot) -> None:
    frame = MainWindow()
    qtbot.addWidget(frame)
    frame.show()
    assert frame.statusBar().currentMessage() == OPENING
    assert not frame.sync_action.isEnabled()
    frame.nav.setCurrentRow(PROGRESS)  # nothing to show yet, and nothing breaks
    assert frame.close()


def test_a_start_that_fails_says_why_in_the_learner_s_language(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr(qapp, "exit", lambda _code: None)
    locale = QLocale()
    install_translators(qapp, "es")
    try:
        start = _Start(qapp, argparse.Namespace(demo=False), MainWindow())
        start._fail(OSError(28, "No space left on device"))
    finally:
        remove_translators(qapp)
        QLocale.setDefault(locale)
    assert start.failed == 1
    assert shown == ["No se pudo leer ni escribir un archivo: No space left on device"]


# The network stack loads with the first request, never for an account that is only opened.
# ssl, http.client and email are not among these: SQLAlchemy (through asyncio) and keyring
# (through jaraco.context's urllib.request) load them, and both are needed to open the account.
NETWORK_MODULES = {
    "requests",
    "urllib3",
    "socks",
    "charset_normalizer",
    "idna",
    "certifi",
    "truststore",
    "desktop_app.api.transport",
    "desktop_app.api.deadline",
    "desktop_app.api.failures",
    "desktop_app.api.xapi",
}
OPEN_WITHOUT_SYNC = """
import json, sys
from desktop_app.catalog.search import CatalogSearch
from desktop_app.config import content_store
from desktop_app.content_store import ContentStore
from desktop_app.gui.shell import resume_account
from desktop_app.study import Study

account = resume_account("", None, None)
study = Study(account, ContentStore(content_store()))
study.downloads.start()
CatalogSearch(account.db)
read = [len(study.library.courses()), study.pending().empty, study.last_synced_at() is not None]
read += [study.review.due_count(), len(study.residencies.summaries())]
study.progress.continue_where_left_off()
loaded = sorted(name for name in json.loads(sys.argv[1]) if name in sys.modules)
study.close()
account.close()
print(json.dumps({"read": read, "loaded": loaded}))
"""


def test_an_opened_account_and_its_study_load_no_network_stack(
    reference_server: ReferenceServer, rounds_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = signed_in_home(reference_server, rounds_home, monkeypatch)
    shown = script_result(env, OPEN_WITHOUT_SYNC, sorted(NETWORK_MODULES))
    assert shown["read"][0] == 3 and shown["read"][2]  # the synced courses, read from the cache
    assert shown["loaded"] == []
