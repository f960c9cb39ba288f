""" "Share downloads" in the File menu, and the status bar's word for as long as sharing is on.

Sharing is off unless the learner turns it on (the choice is kept in the settings), or IT's
policy turns it on; a policy that locks `share_downloads` greys the item out, saying why.
Starting takes a moment (the share server is announced on the network), so it runs off the
window's thread; closing the window stops sharing at once. The toggle also passes the settings'
`fetch_from_peers` on to the sharing service, which looks for peers only while it is on.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStatusBar

from desktop_app.config import Settings, load_settings, machine_policy, save_settings
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.i18n import localized
from desktop_app.views.status_colours import GOOD, set_tone

SETTING = "share_downloads"


class SharingService(Protocol):
    """`desktop_app.peers.sharing.Sharing`."""

    @property
    def sharing(self) -> bool: ...

    @property
    def fetching(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def fetch_from_peers(self, on: bool) -> None: ...


class ShareToggle(QObject):
    """The menu item (`action`) and the status bar label (`indicator`) of one window."""

    def __init__(
        self,
        sharing: SharingService,
        runner: BackgroundRunner,
        menu: QMenu,
        status_bar: QStatusBar,
        locked: Mapping[str, object],
    ) -> None:
        super().__init__(menu)
        self._sharing, self._runner, self._status = sharing, runner, status_bar
        self.action = QAction(self.tr("Share &downloads"), menu)
        self.action.setCheckable(True)
        self.action.setStatusTip(
            self.tr("Let other Rounds on this network copy your downloaded course files.")
        )
        self.action.toggled.connect(self._toggled)
        self.indicator = QLabel(self.tr("Sharing downloads"))
        self.indicator.setAccessibleName(self.tr("Sharing downloads with people nearby"))
        self.indicator.setToolTip(
            self.tr(
                "Other Rounds on this network can copy your downloaded course files from "
                "this computer. Turn it off in the File menu."
            )
        )
        set_tone(self.indicator, GOOD)
        self.indicator.setVisible(False)
        status_bar.addPermanentWidget(self.indicator)
        if SETTING in locked:
            self._lock(bool(locked[SETTING]))

    def _lock(self, on: bool) -> None:
        self.action.setEnabled(False)
        self.action.setToolTip(
            self.tr("Your organisation keeps sharing downloads on.")
            if on
            else self.tr("Your organisation does not allow sharing downloads.")
        )
        self.action.setStatusTip(self.action.toolTip())

    def apply(self, settings: Settings) -> None:
        """Follow the settings (at window start and when the settings dialog saves): sharing,
        and fetching from peers (turned off, the search for them stops off this thread)."""
        if self.action.isChecked() != settings.share_downloads:
            self.action.setChecked(settings.share_downloads)
        if self._sharing.fetching != settings.fetch_from_peers:
            fetch = partial(self._sharing.fetch_from_peers, settings.fetch_from_peers)
            self._runner.run(fetch, serial=False)

    def _toggled(self, on: bool) -> None:
        if load_settings().share_downloads != on and self.action.isEnabled():
            save_settings(load_settings().with_changes(share_downloads=on))
        if on:
            self._runner.run(self._sharing.start, self._started, self._failed, serial=False)
        else:
            self.indicator.setVisible(False)
            self._runner.run(self._sharing.stop, serial=False)

    def _started(self, _result: object) -> None:
        if not self.action.isChecked():  # turned off again while it started
            self._runner.run(self._sharing.stop, serial=False)
            return
        self.indicator.setVisible(True)

    def _failed(self, error: Exception) -> None:
        self.action.blockSignals(True)
        self.action.setChecked(False)
        self.action.blockSignals(False)
        self.indicator.setVisible(False)
        reason = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
        self._status.showMessage(localized(reason))

    def close(self) -> None:
        """Stop sharing now (the window is closing)."""
        self.indicator.setVisible(False)
        self._sharing.stop()


def share_toggle_for(
    window: QMainWindow, sharing: SharingService, runner: BackgroundRunner, settings: QAction
) -> ShareToggle:
    """The toggle in `window`'s File menu (the menu of its `settings` item), just after the
    items above the menu's first separator; sharing starts if the settings say so."""
    menu = settings.parent()
    assert isinstance(menu, QMenu)
    toggle = ShareToggle(sharing, runner, menu, window.statusBar(), machine_policy().locked)
    separators = [action for action in menu.actions() if action.isSeparator()]
    if separators:
        menu.insertAction(separators[0], toggle.action)
    else:
        menu.addAction(toggle.action)
    toggle.apply(load_settings())
    return toggle
