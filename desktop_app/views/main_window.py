"""The main window: navigation on the left, one page at a time, sync state at the bottom."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop_app.library import Library
from desktop_app.views.catalog.browser import CatalogBrowser
from desktop_app.views.residencies import ResidencyList
from desktop_app.views.status_bar import SyncStatusBar
from desktop_app.views.sync_controller import SyncController, SyncStatus


class MainWindow(QMainWindow):
    """Signals:
    sign_out_requested(): the learner chose File → Sign out.
    """

    sign_out_requested = Signal()

    def __init__(
        self,
        library: Library,
        sync: SyncController,
        search: Callable[[str], set[str]],
        *,
        account_label: str,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.library, self.sync = library, sync
        self.setWindowTitle(f"Rounds — {account_label}")
        self.resize(1100, 720)
        self.catalog = CatalogBrowser(library.course, search)
        self.residencies = ResidencyList()
        self.pages = QStackedWidget()
        self.nav = QListWidget(maximumWidth=170)
        self._add_page("Courses", self.catalog)
        self._add_page("Residencies", self.residencies)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self.demo_badge = QLabel(" Demo ")
        self.demo_badge.setStyleSheet(
            "background: #f9a825; color: #1b1b1b; font-weight: 700; border-radius: 4px;"
        )
        self.demo_badge.setVisible(demo)
        self._build_menus()
        self._build_centre()
        sync.status_changed.connect(self._on_status)
        sync.synced.connect(lambda _summary: self.refresh())
        self._on_status(sync.status)
        self.refresh()

    def _add_page(self, title: str, page: QWidget) -> None:
        self.nav.addItem(title)
        self.pages.addWidget(page)

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
        self._action(file_menu, "Sign &out", self.sign_out_requested.emit)
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        view_menu = self.menuBar().addMenu("&View")
        self._action(view_menu, "&Courses", lambda: self.nav.setCurrentRow(0), "Ctrl+1")
        self._action(view_menu, "&Residencies", lambda: self.nav.setCurrentRow(1), "Ctrl+2")
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Rounds", self._about)

    def _action(
        self,
        menu: object,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def refresh(self) -> None:
        """Re-read what the cache holds (after a sync, a download, a sign-in)."""
        self.catalog.show_courses(self.library.courses())
        self.residencies.show_residencies(self.library.residencies())

    def _on_status(self, status: SyncStatus) -> None:
        self.status.show_status(status)
        self.sync_action.setEnabled(not status.syncing)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Rounds",
            "Rounds — offline-first learning for clinicians.\n"
            "Study your courses anywhere; progress uploads when you are back online.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync.stop()
        super().closeEvent(event)
