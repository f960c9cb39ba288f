"""`--self-test`: build the whole window offscreen on a throw-away account, paint it, exit.

Used to check an installed or PyInstaller-built copy: it proves the Qt plugins, the
multimedia and PDF modules, the migrations and the bundled resources are all there. Nothing
is sent over the network and nothing is written outside a temporary folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.api.payloads import User
from desktop_app.api.token_store import KeyringTokenStore
from desktop_app.catalog.search import CatalogSearch
from desktop_app.config import Settings
from desktop_app.content_store import ContentStore
from desktop_app.db import current_revision, head_revision
from desktop_app.error_text import ErrorReport
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.resources import resource_path
from desktop_app.study import Study
from desktop_app.sync.summary import SyncSummary
from desktop_app.views.main_window import MainWindow
from desktop_app.views.sync_controller import SyncController

OFFLINE_SERVER = "http://127.0.0.1:9"


def _check_modules() -> list[str]:
    problems = []
    try:
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer  # noqa: F401
        from PySide6.QtPdf import QPdfDocument  # noqa: F401
    except ImportError as error:
        problems.append(f"missing Qt module: {error}")
    if not (resource_path("curriculum") / "FORMAT.md").is_file():
        problems.append(f"resources not found at {resource_path()}")
    return problems


def _offline_account() -> Account:
    user = User(id="self-test", username="self-test", display_name="Self test")
    api = ApiClient(OFFLINE_SERVER)
    tokens = KeyringTokenStore.for_account(OFFLINE_SERVER, user.username)
    return Account(user, OFFLINE_SERVER, tokens, api, Settings())


def _paint_window(app: QApplication, folder: Path) -> list[str]:
    account = _offline_account()
    problems = []
    if current_revision(account.db.engine) != head_revision():
        problems.append("database did not migrate to the latest schema")
    study = Study(account, ContentStore(folder / "content"))
    runner = BackgroundRunner()
    controller = SyncController(
        runner,
        lambda _progress, _cancel: SyncSummary(),
        interval_minutes=60,
        describe_error=lambda error: ErrorReport(str(error)),
    )
    window = MainWindow(
        study, controller, runner, CatalogSearch(account.db), account_label="self-test"
    )
    window.show()
    app.processEvents()
    if window.grab().isNull():
        problems.append("the main window did not paint")
    window.close()
    runner.wait_for_idle()
    study.close()
    account.close()
    return problems


def run_self_test(app: QApplication) -> int:
    with tempfile.TemporaryDirectory(prefix="rounds-self-test-") as folder:
        os.environ["ROUNDS_HOME"] = folder
        problems = _check_modules() + _paint_window(app, Path(folder))
    for problem in problems:
        print(f"self-test: {problem}")
    print("self-test passed" if not problems else "self-test failed")
    return 1 if problems else 0
