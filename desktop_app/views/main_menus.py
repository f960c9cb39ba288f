"""The main window's menus, with their shortcuts shown, its navigation's page names, and its
About box with the version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QListWidget, QMainWindow, QMenu, QMessageBox, QWidget

from desktop_app import version
from desktop_app.views.diagnostics_saver import DiagnosticsSaver
from desktop_app.views.i18n import localized

Shortcut = str | QKeySequence.StandardKey | None


class MenuWindow(Protocol):
    """What the menus act on (the main window)."""

    nav: QListWidget
    sign_out_requested: SignalInstance

    def sync_now(self) -> None: ...
    def open_settings(self) -> None: ...
    def import_course_package(self) -> None: ...
    def lock(self) -> None: ...
    def focus_search(self) -> None: ...
    def close(self) -> bool: ...


@dataclass(frozen=True)
class AccountActions:
    """The menu items that need an account, disabled until one is attached."""

    sync: QAction
    settings: QAction
    lock: QAction
    find: QAction
    import_package: QAction

    def set_enabled(self, enabled: bool) -> None:
        for action in (self.sync, self.settings, self.lock, self.find, self.import_package):
            action.setEnabled(enabled)


def build_menus(window: QMainWindow, acts_on: MenuWindow) -> AccountActions:
    """File, View and Help in `window`'s menu bar; shortcuts show beside each item."""
    file_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&File"))
    sync = _action(
        file_menu, QCoreApplication.translate("MainWindow", "&Sync now"), acts_on.sync_now, "Ctrl+R"
    )
    settings = _action(
        file_menu,
        QCoreApplication.translate("MainWindow", "S&ettings…"),
        acts_on.open_settings,
        "Ctrl+,",
    )
    import_package = _action(
        file_menu,
        QCoreApplication.translate("MainWindow", "Import course &package…"),
        acts_on.import_course_package,
    )
    file_menu.addSeparator()
    lock = _action(
        file_menu, QCoreApplication.translate("MainWindow", "&Lock"), acts_on.lock, "Ctrl+L"
    )
    _action(
        file_menu,
        QCoreApplication.translate("MainWindow", "Sign &out…"),
        acts_on.sign_out_requested.emit,
    )
    _action(
        file_menu,
        QCoreApplication.translate("MainWindow", "&Quit"),
        acts_on.close,
        QKeySequence.StandardKey.Quit,
    )
    view_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&View"))
    find = _action(
        view_menu,
        QCoreApplication.translate("MainWindow", "&Find courses and lessons"),
        acts_on.focus_search,
    )
    find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    view_menu.addSeparator()
    titles = [
        QCoreApplication.translate("MainWindow", "&Courses"),
        QCoreApplication.translate("MainWindow", "&Residencies"),
        QCoreApplication.translate("MainWindow", "&Downloads"),
    ]
    titles += [
        QCoreApplication.translate("MainWindow", "S&torage"),
        QCoreApplication.translate("MainWindow", "&Progress"),
    ]
    for number, title in enumerate(titles):
        show = partial(acts_on.nav.setCurrentRow, number)
        _action(view_menu, title, show, f"Ctrl+{number + 1}")
    help_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Help"))
    _action(
        help_menu,
        QCoreApplication.translate("MainWindow", "Save &diagnostics…"),
        DiagnosticsSaver(window).save,
    )
    _action(
        help_menu,
        QCoreApplication.translate("MainWindow", "&About Rounds"),
        partial(show_about, window),
    )
    actions = AccountActions(sync, settings, lock, find, import_package)
    actions.set_enabled(False)
    return actions


def _action(
    menu: QMenu, text: str, slot: Callable[[], object], shortcut: Shortcut = None
) -> QAction:
    action = QAction(text, menu)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def opening_text() -> str:
    return QCoreApplication.translate("MainWindow", "Opening your courses…")


def nav_titles() -> tuple[str, ...]:
    """The navigation's page names, in the order of NAV_PAGES, in the window's language."""
    return (
        QCoreApplication.translate("MainWindow", "Courses"),
        QCoreApplication.translate("MainWindow", "Residencies"),
        QCoreApplication.translate("MainWindow", "Downloads"),
        QCoreApplication.translate("MainWindow", "Storage"),
        QCoreApplication.translate("MainWindow", "Progress"),
    )


def rounds_version() -> str:
    """The installed version, or "development" in the window's language."""
    return localized(version.rounds_version())


def about_text() -> str:
    return QCoreApplication.translate(
        "MainWindow",
        "Rounds {version}\n\nOffline-first learning for clinicians.\n"
        "Study your courses anywhere; progress uploads when you are back online.",
    ).format(version=rounds_version())


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent, QCoreApplication.translate("MainWindow", "About Rounds"), about_text()
    )
