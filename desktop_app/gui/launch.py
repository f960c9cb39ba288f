"""The window's start: the main window's frame paints at once, the account opens behind it.

Before the first paint only PySide6 and a few small modules of ours are imported. Once the
frame is on the screen a worker reads the course list with plain `sqlite3` (`first_list`),
which the frame shows at once; then the same worker imports the account's modules
(SQLAlchemy, requests, keyring, the services and the pages, with `desktop_app.gui.shell`) and
opens the account, whose cache is checked and backed up for the day there; then `Shell` fills
the frame on the UI thread.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.config import data_home, load_settings
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.first_paint import after_first_paint
from desktop_app.gui.heap import UiThreadCollector, share_one_malloc_arena
from desktop_app.gui.resources import resource_path
from desktop_app.gui.single_instance import SingleInstance, ask_first_to_show, bring_forward
from desktop_app.gui.startup_probe import COURSE_LIST, FIRST_PAINT, StartupProbe
from desktop_app.logging_setup import configure_logging
from desktop_app.policy import require_demo_allowed
from desktop_app.views.i18n import localized
from desktop_app.views.language import install_translators
from desktop_app.views.main_window import MainWindow
from desktop_app.views.theme import apply_appearance

if TYPE_CHECKING:
    from desktop_app.account import Account
    from desktop_app.catalog.first_list import FirstList
    from desktop_app.gui.shell import Shell


def run_gui(args: argparse.Namespace) -> int:
    share_one_malloc_arena()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Rounds")
    app.setOrganizationName("Rounds")
    app.setDesktopFileName("rounds")  # Wayland and GNOME match the window to rounds.desktop
    app.setWindowIcon(window_icon())
    settings = load_settings()
    install_translators(app, settings.language)  # before any window: applies on restart
    apply_appearance(app, settings)
    if args.self_test:  # on a throw-away folder: a running Rounds is no reason to refuse
        from desktop_app.gui.self_test import run_self_test

        return run_self_test(app)
    guard = SingleInstance(data_home())
    if not guard.claim():
        return _hand_over(guard.home)
    try:
        return _run_window(app, args, guard)
    finally:
        guard.release()


def window_icon() -> QIcon:
    """The application's icon at each size `make icons` renders (resources/icons/rounds-N.png);
    Qt reads a file only when a window needs that size."""
    icon = QIcon()
    for path in resource_path("icons").glob("rounds-*.png"):
        side = int(path.stem.removeprefix("rounds-"))
        icon.addFile(str(path), QSize(side, side))
    return icon


def _hand_over(home: Path) -> int:
    """Another Rounds has this data folder: its window comes forward instead of a second one."""
    if ask_first_to_show(home):
        return 0
    QMessageBox.warning(
        None,
        "Rounds",
        QCoreApplication.translate(
            "Launch",
            "Rounds is already open but does not answer. Close it, then start Rounds again.",
        ),
    )
    return 1


# How long a worker may keep the interpreter lock once the UI thread asks for it. The UI thread
# takes the lock several times per event, waiting up to this long each time while the sync
# parses pages. Longest stall of a shown window during a 10k-course sync, loaded 2-core
# machine, runs alternating: 29 ms at Python's 5 ms, 17 ms at 1 ms.
SWITCH_INTERVAL_S = 0.001


def _run_window(app: QApplication, args: argparse.Namespace, guard: SingleInstance) -> int:
    configure_logging()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    collector = UiThreadCollector(app)
    collector.start()
    start = _Start(app, args, MainWindow(demo=args.demo))
    guard.show_requested.connect(lambda: bring_forward(start.window or app.activeModalWidget()))
    try:
        start.show()
        code = app.exec()
        return code if start.failed is None else start.failed
    finally:
        start.close()
        collector.stop()


class _Start:
    """The frame on the screen, then the account opened into it by a `Shell`."""

    def __init__(self, app: QApplication, args: argparse.Namespace, frame: MainWindow) -> None:
        self.app, self.args, self.frame = app, args, frame
        self.probe = StartupProbe.from_environment(app)
        self.runner = BackgroundRunner()
        self.shell: Shell | None = None
        self.demo: Any = None
        self.failed: int | None = None
        self.early_list_of: Path | None = None  # the database of the course list shown early

    @property
    def window(self) -> MainWindow | None:
        return self.shell.window if self.shell is not None else self.frame

    def show(self) -> None:
        after_first_paint(self.frame, self.open)
        if self.probe is not None:  # the filter installed last sees the paint first
            self.probe.watch(self.frame, FIRST_PAINT)
            self.probe.expect_settled()
        self.frame.show()

    def open(self) -> None:
        """On the one serial worker, in turn: the early course list, then the account."""
        if not self.args.demo:
            self.runner.run(self._read_first_list, self._show_first_list)
        self.runner.run(self._open_account, self._opened, self._fail)

    def _read_first_list(self) -> FirstList | None:
        from desktop_app.catalog.first_list import read_first_list

        return read_first_list(self.args.server, self.args.user)

    def _show_first_list(self, first: FirstList | None) -> None:
        if first is None or not first.courses or self.shell is not None:
            return
        self.early_list_of = first.database  # its rows are the frame's alone: dropped with it
        view = self.frame.show_first_courses(first.courses)
        if self.probe is not None:
            self.probe.watch_list(view, COURSE_LIST)

    def _open_account(self) -> Account | None:
        """On a worker: the account's modules, the demo server if asked for, the account."""
        from desktop_app.gui.shell import _start_demo_server, resume_account

        if self.args.demo:
            require_demo_allowed(load_settings())  # a policy may switch the demo off

        self.demo = _start_demo_server() if self.args.demo else None
        return resume_account(self.demo.url if self.demo else "", self.args.server, self.args.user)

    def _opened(self, account: Account | None) -> None:
        from desktop_app.gui.shell import Shell

        demo_url = self.demo.url if self.demo else ""
        self._keep_first_list_of(account)
        self.shell = Shell(self.app, demo_url=demo_url, frame=self.frame, runner=self.runner)
        try:
            started = self.shell.start_with(account, self.args.server, self.args.user)
        except Exception as error:
            self._fail(error)
            return
        if not started:
            self.frame.close()
            self.app.quit()
        elif self.probe is not None:
            self._watch_opened(self.probe)

    def _watch_opened(self, probe: StartupProbe) -> None:
        """The course list, if the early one did not paint it; then the start's end."""
        if self.shell is not None and self.shell.window is not None and not self.early_list_of:
            catalog = self.shell.window.catalog
            ready = lambda: catalog.courses.rowCount() > 0  # noqa: E731
            probe.watch(catalog.list.viewport(), COURSE_LIST, ready)
        probe.settle_after(self.runner)

    def _keep_first_list_of(self, account: Account | None) -> None:
        """The early list stays only for its own account: a sign-in, or another account's
        window, starts from the empty frame."""
        early = self.early_list_of
        if early is not None and (account is None or early != account.paths.database):
            self.frame.forget_first_courses()
            self.early_list_of = None

    def _fail(self, error: Exception) -> None:
        from desktop_app.error_text import describe

        self.frame.close()
        QMessageBox.critical(None, "Rounds", localized(describe(error).message))
        self.failed = 1
        self.app.exit(1)

    def close(self) -> None:
        if self.shell is not None:
            self.shell.close_window()
        self.runner.wait_for_idle()  # an account still opening when the frame was closed
        if self.demo is not None:
            self.demo.stop()
