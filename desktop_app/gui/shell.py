"""Composition root: settings → account (database, API client) → services → main window.

Nothing else in the app reaches for global state: every collaborator is built here and passed
in. `Shell` owns the sign-in → window → sign-out life cycle.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog

from desktop_app.account import Account
from desktop_app.catalog.search import CatalogSearch
from desktop_app.config import Settings, content_store, data_home, load_settings
from desktop_app.content_store import ContentStore
from desktop_app.error_text import ErrorReport, describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.heap import freeze_startup_heap, return_freed_memory
from desktop_app.progress import Pending
from desktop_app.study import Study
from desktop_app.sync_process import SyncProcessError, SyncProcessUnavailable, sync_in_child
from desktop_app.views.main_window import MainWindow
from desktop_app.views.status_colours import BAD, PLAIN
from desktop_app.views.sync_controller import SyncController, SyncOutcome

if TYPE_CHECKING:
    from desktop_app.sync.reconciliation import ReconciliationSummary
    from desktop_app.views.sign_in import SignInDialog

log = logging.getLogger(__name__)
DEMO_USER, DEMO_PASSWORD = "ana", "rounds-demo"
OFFLINE_START = "Offline — signed in on this computer; your work uploads when the server is back"


def offline_start_text() -> str:
    return QCoreApplication.translate(
        "Shell", "Offline — signed in on this computer; your work uploads when the server is back"
    )


class Shell:
    """Signs in, opens the main window for the account, and goes back to sign-in on sign-out."""

    def __init__(
        self,
        app: QApplication,
        *,
        demo_url: str = "",
        frame: MainWindow | None = None,
        runner: BackgroundRunner | None = None,
    ) -> None:
        """`frame`: a main window already shown without an account, to be filled by the
        first account opened (the start paints it before any of this is imported)."""
        self.app = app
        self.demo_url = demo_url
        self.frame = frame
        self.runner = runner or BackgroundRunner()
        self.settings = load_settings()
        self.store = ContentStore(content_store())
        self.account: Account | None = None
        self.window: MainWindow | None = None
        self.controller: SyncController | None = None
        self.study: Study | None = None

    def start(self, server: str | None, user: str | None) -> bool:
        return self.start_with(resume_account(self.demo_url, server, user), server, user)

    def start_with(self, account: Account | None, server: str | None, user: str | None) -> bool:
        """The window for the account `resume_account` opened, or the sign-in dialog."""
        if account is not None:
            return self.open(account)
        return self.ask_sign_in(server or self.settings.server_url, user or self.settings.username)

    def ask_sign_in(
        self, server_url: str, username: str, reason: str = "", tone: str = BAD
    ) -> bool:
        dialog = sign_in_dialog(self.runner, server_url, username, reason, tone)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.account is None:
            return False
        assert isinstance(dialog.account, Account)
        return self.open(dialog.account)

    def open(self, account: Account) -> bool:
        """The window for `account`. If building it fails, what was built is closed and its
        background work stopped before the error goes on to be shown."""
        try:
            self._open(account)
        except Exception:
            log.exception("The main window could not be built")
            self.close_window()
            self.account = None
            account.close()
            raise
        return True

    def _open(self, account: Account) -> None:
        self.account = account
        self.study = study = Study(account, self.store)
        self.controller = SyncController(
            self.runner,
            partial(window_sync, study),
            interval_minutes=self.settings.sync_interval_minutes,
            describe_error=describe_sync_error,
            pending_count=study.pending,
            last_success=study.last_synced_at(),
        )
        self.controller.session_expired.connect(self._on_session_expired)
        self.window, self.frame = self.frame or MainWindow(demo=bool(self.demo_url)), None
        self.window.attach(
            study,
            self.controller,
            self.runner,
            CatalogSearch(account.db),
            account_label=QCoreApplication.translate("Shell", "{name} on {server}").format(
                name=account.display_name, server=account.server_url
            ),
        )
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.settings_saved.connect(self._on_settings_saved)
        self.window.show()
        if not account.tokens_persistent:
            self.window.status.showMessage(
                QCoreApplication.translate(
                    "Shell",
                    "No system keyring is available: you stay signed in only until Rounds closes.",
                )
            )
        if account.cache_repair is not None:
            self.window.status.showMessage(account.cache_repair.sentence)
        if account.offline:
            self.window.status.showMessage(offline_start_text())
        self.runner.busy_changed.connect(self._freeze_when_idle)
        study.downloads.start()
        self.controller.start()

    def _on_settings_saved(self, settings: Settings) -> None:
        """The next sign-in offers the server saved in the settings."""
        self.settings = settings

    def _freeze_when_idle(self, busy: bool) -> None:
        """Freeze the start-up heap once the start's work (the course list, the first sync)
        is done: its full collection holds the interpreter lock, which that work needs.
        The cache's idle connections close then, and what the start freed goes back to the
        system: the window may stay idle for hours."""
        if not busy:
            self.runner.busy_changed.disconnect(self._freeze_when_idle)
            if self.account is not None:
                self.account.db.release_idle_connections()
            freeze_startup_heap()
            return_freed_memory()

    def close_window(self) -> None:
        """Close the window (saving an open lesson), then let every background job finish
        before the account's downloads and database are closed."""
        window, controller, study = self.window, self.controller, self.study
        self.window, self.controller, self.study = None, None, None
        if controller is not None:
            controller.session_expired.disconnect(self._on_session_expired)
            controller.stop()
        if window is not None:
            window.close()
        while self.runner.busy:
            self.runner.wait_for_idle()
            self.app.processEvents()  # deliver finished jobs while their widgets still exist
        if window is not None:
            window.deleteLater()
        if study is not None:
            study.close()

    def sign_out(self) -> None:
        account, study, window = self.account, self.study, self.window
        if account is None or study is None or window is None:
            return
        window.close_lesson()  # its last position is written before counting
        if not confirm_sign_out(window, study.pending()):
            return
        reconciled: list[ReconciliationSummary | None] = []  # its time is bounded in all
        self.runner.run(study.reconcile_before_sign_out, reconciled.append)  # close_window waits
        self.close_window()
        forget = study.pending().empty  # counted again: the window's last writes are in
        account.sign_out(forget_local_data=forget)
        self.account = None
        from desktop_app.sync.reconciliation import sign_out_note  # a sign-out's, like the round

        note = sign_out_note(reconciled[0] if reconciled else None)
        if not self.ask_sign_in(account.server_url, account.username, note, PLAIN):
            self.app.quit()

    def _on_session_expired(self) -> None:
        account, controller = self.account, self.controller
        if account is None or controller is None:
            return
        reason = controller.status.last_error
        self.close_window()
        account.close()
        if not self.ask_sign_in(account.server_url, account.username, reason):
            self.app.quit()


def sign_in_dialog(
    runner: BackgroundRunner, server_url: str, username: str, reason: str, tone: str
) -> SignInDialog:
    """The sign-in dialog, with single sign-on and the offline passcode: their modules load
    when it is first shown, never in a window that opened its account from the keyring."""
    from desktop_app.sso import passcode
    from desktop_app.sso.flow import SsoCancelled, offers_sign_in, sign_in_with_organisation
    from desktop_app.views.offline_passcode import PasscodeOffer
    from desktop_app.views.organisation_sign_in import OrganisationFlow
    from desktop_app.views.sign_in import SignInDialog

    offer = PasscodeOffer(
        passcode.offers_passcode, passcode.passcode_problem, passcode.keep_passcode
    )
    organisation = OrganisationFlow(offers_sign_in, sign_in_with_organisation, SsoCancelled, offer)
    return SignInDialog(
        runner,
        passcode.sign_in_or_offline,
        lambda error: describe(error).message,
        server_url=server_url,
        username=username,
        reason=reason,
        reason_tone=tone,
        organisation=organisation,
    )


def window_sync(
    study: Study, progress: Callable[[int, int], None], cancel: threading.Event
) -> SyncOutcome:
    """The window's sync, in a child process (`desktop_app.sync_process`); in this one where
    no child can start, and while an account opened offline still holds the password it
    signs in with when the server answers."""
    if not study.account.offline:
        try:
            return sync_in_child(study, progress, cancel)
        except SyncProcessUnavailable as error:
            log.warning("Syncing in the window's process: %s (%r)", error, error.__cause__)
    return study.sync(progress=lambda pages, items, _more: progress(pages, items), cancel=cancel)


def describe_sync_error(error: Exception) -> ErrorReport:
    """A child's failure comes described; any other error is described here."""
    return error.report if isinstance(error, SyncProcessError) else describe(error)


def resume_account(demo_url: str, server: str | None, user: str | None) -> Account | None:
    """The demo learner signed in, or the account whose tokens are stored (None if it must
    sign in). No Qt: the start runs it on a worker, where the cache is checked, migrated if
    it must be, and backed up for the day while the window is already on the screen."""
    if demo_url:
        return Account.sign_in(demo_url, DEMO_USER, DEMO_PASSWORD)
    settings = load_settings()
    username = user or settings.username
    return Account.resume(server or settings.server_url, username) if username else None


def confirm_sign_out(window: MainWindow, pending: Pending) -> bool:
    """The Progress page's question; its module loads only when the learner signs out."""
    from desktop_app.views.progress import confirm_sign_out as ask

    return ask(window, pending)


def _start_demo_server() -> Any:
    from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

    server = ReferenceServer(data_home() / "demo-server", SAMPLE_CURRICULUM)
    server.start()
    return server
