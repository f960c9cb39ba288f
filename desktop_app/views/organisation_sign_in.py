"""The sign-in dialog's "Sign in with your organisation" button, shown when the server at the
typed address says it offers single sign-on.

Pressing it opens the organisation's sign-in page in the system browser and waits there for
the learner (`desktop_app.sso.flow`, off the UI thread); pressed again, or the dialog closed,
the wait stops. The browser is opened through `open_browser`, which tests replace. On a
computer with no keyring, an offline passcode may be offered next (`offline_passcode`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.i18n import localized
from desktop_app.views.offline_passcode import PasscodeOffer

BrowserOpener = Callable[[str], bool]


@dataclass(frozen=True)
class OrganisationFlow:
    """What the button does, below the views: whether a server offers it, and the sign-in."""

    offered: Callable[[str], bool]
    sign_in: Callable[..., object]
    """(server URL, browser opener, cancel event, localize=…) → the account; the pages the
    browser is answered with go through `localize`."""
    cancelled: type[BaseException]
    passcode: PasscodeOffer | None = None
    """The offline passcode offered after a sign-in that no keyring keeps, if any."""


class OrganisationSignIn(QObject):
    """The button and its wait; says what happens through its signals."""

    signed_in = Signal(object)
    failed = Signal(Exception)
    refused = Signal(str)
    status = Signal(str)
    busy = Signal(bool)
    _open_requested = Signal(str)

    def __init__(self, runner: BackgroundRunner, flow: OrganisationFlow, parent: QWidget) -> None:
        super().__init__(parent)
        self._runner, self._flow = runner, flow
        self.button = QPushButton(self.tr("Sign in with your &organisation"), parent)
        self.button.setAccessibleName(self.tr("Sign in with your organisation"))
        self.button.setToolTip(
            self.tr("Sign in on your organisation's own page in your web browser.")
        )
        self.button.setVisible(False)
        self.button.clicked.connect(self._pressed)
        self.open_browser: BrowserOpener = self._ask_system_browser
        self._open_requested.connect(self._open_in_system_browser)
        self._cancel: threading.Event | None = None
        self._asked_for = ""
        self._no_browser = False

    def watch(self, server: QLineEdit) -> None:
        """Ask the server in `server` whether it offers this, now and after each edit."""
        server.editingFinished.connect(lambda: self.check(server.text().strip()))
        self.check(server.text().strip())

    def check(self, server_url: str) -> None:
        if server_url == self._asked_for or self._cancel is not None:
            return
        self._asked_for = server_url
        self.button.setVisible(False)
        if not server_url:
            return
        self._runner.run(
            lambda: self._flow.offered(server_url),
            lambda offered: self._offered(server_url, bool(offered)),
            lambda _error: None,
            serial=False,
        )

    def _offered(self, server_url: str, offered: bool) -> None:
        if server_url == self._asked_for:
            self.button.setVisible(offered)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _pressed(self) -> None:
        if self._cancel is not None:
            self.cancel()
            return
        server_url, cancel = self._asked_for, threading.Event()
        self._no_browser = False
        self._cancel = cancel
        self.button.setText(self.tr("&Stop waiting for the browser"))
        self.button.setAccessibleName(self.tr("Stop waiting for the browser"))
        self.busy.emit(True)
        self.status.emit(self.tr("Waiting for you to sign in in your web browser…"))
        opener = self.open_browser
        self._runner.run(
            lambda: self._flow.sign_in(server_url, opener, cancel, localize=localized),
            self._done,
            self._failed,
            serial=False,
        )

    def _finish(self) -> None:
        self._cancel = None
        self.button.setText(self.tr("Sign in with your &organisation"))
        self.button.setAccessibleName(self.tr("Sign in with your organisation"))
        self.busy.emit(False)

    def _done(self, account: object) -> None:
        self._finish()
        self.signed_in.emit(account)

    def _failed(self, error: Exception) -> None:
        self._finish()
        if isinstance(error, self._flow.cancelled) and self._no_browser:
            self.refused.emit(self.tr("No web browser could be opened for signing in."))
        elif isinstance(error, self._flow.cancelled):
            self.status.emit("")
        else:
            self.failed.emit(error)

    def _ask_system_browser(self, url: str) -> bool:
        """From the sign-in's thread: the UI thread opens the browser."""
        self._open_requested.emit(url)
        return True

    def _open_in_system_browser(self, url: str) -> None:
        if not QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.StrictMode)):
            self._no_browser = True
            self.cancel()
