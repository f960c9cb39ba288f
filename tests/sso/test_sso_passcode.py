"""A learner who signs in with her organisation on a computer with no keyring may keep an
offline passcode for it: with the server stopped, the sign-in dialog opens her account with
it (after the same waits as a password's after wrong attempts); it is never sent to the
server, the password sign-in never takes it, and signing out removes it. Against the real
provider and the real reference server, stopped to be out of reach."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from server_fixture import FAST_NETWORK
from shots import keep, light_and_dark, shots_folder

from desktop_app.account import Account
from desktop_app.api.errors import AuthenticationError, OfflineError, SessionExpiredError
from desktop_app.content_store import ContentStore
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.shell import OFFLINE_START, Shell
from desktop_app.offline_sign_in import CachedLogon, SlowDown
from desktop_app.progress import LessonRef
from desktop_app.sso import passcode
from desktop_app.sso.flow import SsoCancelled, offers_sign_in, sign_in_with_organisation
from desktop_app.study import Study
from desktop_app.views.offline_passcode import OfflinePasscodeDialog, PasscodeOffer
from desktop_app.views.organisation_sign_in import OrganisationFlow
from desktop_app.views.sign_in import SignInDialog
from reference_server import ReferenceServer
from reference_server.sso_provider import SsoSettings

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, USERNAME, OidcProvider, running_provider
from .test_sso_sign_in import BrowserDriver

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "PulseAudio", "No audio device")
SHOTS = shots_folder("ROUNDS_SSO_SHOTS")
PASSCODE = "tide-lamp-47"
WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")
OFFER = PasscodeOffer(passcode.offers_passcode, passcode.passcode_problem, passcode.keep_passcode)
FLOW = OrganisationFlow(
    functools.partial(offers_sign_in, config=FAST_NETWORK),
    functools.partial(sign_in_with_organisation, timeout=60, config=FAST_NETWORK),
    SsoCancelled,
    OFFER,
)


class StoppedClock:
    """The offline attempts' clock: it moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc")) as running:
        yield running


@pytest.fixture
def server_data(curriculum_data: Path, tmp_path: Path) -> Path:
    return shutil.copytree(curriculum_data, tmp_path / "server")


@pytest.fixture
def no_keyring() -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # conftest restores it


def _server(data: Path, provider: OidcProvider, port: int = 0) -> ReferenceServer:
    settings = SsoSettings(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    return ReferenceServer(data, port=port, sso=settings)


def _port(server: ReferenceServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _dialog(qtbot: QtBot, runner: BackgroundRunner, url: str, clock: StoppedClock) -> SignInDialog:
    sign_in = functools.partial(
        passcode.sign_in_or_offline, config=FAST_NETWORK, slow_down=SlowDown(clock)
    )
    dialog = SignInDialog(
        runner,
        sign_in,
        lambda error: describe(error).message,
        server_url=url,
        username=USERNAME,
        organisation=FLOW,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _signed_in_with_organisation(
    qtbot: QtBot, dialog: SignInDialog, provider: OidcProvider
) -> None:
    """Presses the button and goes through the provider's pages, up to the passcode's offer
    or the account."""
    organisation = dialog.organisation
    assert organisation is not None
    qtbot.waitUntil(organisation.button.isVisible, timeout=10_000)
    browser = BrowserDriver(provider.issuer)
    organisation.open_browser = browser
    organisation.button.click()
    qtbot.waitUntil(
        lambda: dialog.passcode_prompt is not None or dialog.account is not None, timeout=30_000
    )
    browser.join()


def _answer(qtbot: QtBot, prompt: OfflinePasscodeDialog, first: str, second: str) -> str:
    prompt.passcode.setText(first)
    prompt.repeated.setText(second)
    prompt.submit()
    qtbot.waitUntil(lambda: prompt.buttons.isEnabled() or not prompt.isVisible(), timeout=10_000)
    return prompt.message.text()


def _submitted(qtbot: QtBot, dialog: SignInDialog, secret: str) -> str:
    dialog.password.setText(secret)
    dialog.submit()
    qtbot.waitUntil(
        lambda: dialog.account is not None or dialog.buttons.isEnabled(), timeout=20_000
    )
    return dialog.message.text()


def _complete_welcome(account: Account, store: ContentStore) -> None:
    study = Study(account, store)
    with account.db.session() as session:
        study.progress.completed(session, WELCOME)
    assert not study.pending().empty
    study.close()


def _signed_in(server: ReferenceServer, provider: OidcProvider) -> Account:
    browser = BrowserDriver(provider.issuer)
    account = sign_in_with_organisation(
        server.url, browser, threading.Event(), timeout=60, config=FAST_NETWORK
    )
    browser.join()
    return account


def _shoot(widget: SignInDialog | OfflinePasscodeDialog, name: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    keep(light_and_dark(app, widget, name), SHOTS)


@pytest.mark.usefixtures("no_keyring")
@pytest.mark.expect_log("desktop_app.sync.engine", "Sync of catalog failed")
def test_a_passcode_kept_after_signing_in_opens_rounds_while_the_server_is_stopped(
    qtbot: QtBot,
    runner: BackgroundRunner,
    server_data: Path,
    provider: OidcProvider,
    tmp_path: Path,
) -> None:
    clock, store = StoppedClock(), ContentStore(tmp_path / "content")
    with _server(server_data, provider) as server:
        dialog = _dialog(qtbot, runner, server.url, clock)
        _signed_in_with_organisation(qtbot, dialog, provider)
        prompt = dialog.passcode_prompt
        assert prompt is not None and prompt.isVisible() and dialog.account is None
        _shoot(prompt, "passcode-offer")
        assert _answer(qtbot, prompt, "short", "short") == (
            "Choose a passcode of at least 8 characters."
        )
        assert _answer(qtbot, prompt, PASSCODE, PASSCODE + "x") == (
            "The two passcodes are not the same."
        )
        _shoot(prompt, "passcode-refused")
        _answer(qtbot, prompt, PASSCODE, PASSCODE)
        qtbot.waitUntil(lambda: dialog.account is not None, timeout=10_000)
        assert isinstance(dialog.account, Account)
        folder = dialog.account.paths.root
        dialog.account.close()
    assert CachedLogon(folder).passcode_kept and not CachedLogon(folder).available
    assert PASSCODE not in (folder / "offline-sign-in.json").read_text()

    offline = _dialog(qtbot, runner, server.url, clock)
    wrong = "This is not the offline passcode set for this account on this computer."
    assert [_submitted(qtbot, offline, "not-the-passcode") for _ in range(5)] == [wrong] * 5
    too_soon = _submitted(qtbot, offline, PASSCODE)
    assert too_soon == "Too many attempts: wait 1 second, then try again."
    _shoot(offline, "passcode-wait")
    clock.now += 1.0
    _submitted(qtbot, offline, PASSCODE)
    account = offline.account
    assert isinstance(account, passcode.PasscodeAccount) and account.offline
    assert account.paths.root == folder
    with pytest.raises(OfflineError):
        account.sync()  # out of reach: offline, not "sign in again"
    _complete_welcome(account, store)

    with _server(server_data, provider, _port(server)) as back:
        with pytest.raises(SessionExpiredError) as expired:
            account.sync()
        assert expired.value.message == passcode.SIGN_IN_AGAIN
        assert all(request.path != "/api/v1/auth/token" for request in back.requests)
        account.close()
        again = _signed_in(back, provider)
        study = Study(again, store)
        assert study.sync().progress_error == "" and study.pending().empty
        study.close()
    again.sign_out()
    assert not CachedLogon(folder).passcode_kept
    with pytest.raises(OfflineError):
        passcode.sign_in_or_offline(server.url, USERNAME, PASSCODE, config=FAST_NETWORK)


@pytest.mark.usefixtures("no_keyring")
def test_the_passcode_is_not_sent_while_the_server_answers_nor_taken_as_a_password(
    server_data: Path, provider: OidcProvider
) -> None:
    with _server(server_data, provider) as server:
        account = _signed_in(server, provider)
        assert passcode.offers_passcode(account)
        passcode.keep_passcode(account, PASSCODE)
        assert not passcode.offers_passcode(account)
        account.close()
        server.clear_requests()
        with pytest.raises(AuthenticationError) as refused:
            passcode.sign_in_or_offline(server.url, USERNAME, PASSCODE, config=FAST_NETWORK)
        assert refused.value.message == passcode.SERVER_ANSWERS
        assert [request.path for request in server.requests] == ["/api/v1/about"]
    with pytest.raises(OfflineError):
        Account.sign_in_or_offline(server.url, USERNAME, PASSCODE, config=FAST_NETWORK)


@pytest.mark.usefixtures("no_keyring")
def test_not_now_opens_the_account_and_keeps_no_passcode(
    qtbot: QtBot, runner: BackgroundRunner, server_data: Path, provider: OidcProvider
) -> None:
    with _server(server_data, provider) as server:
        dialog = _dialog(qtbot, runner, server.url, StoppedClock())
        _signed_in_with_organisation(qtbot, dialog, provider)
        prompt = dialog.passcode_prompt
        assert prompt is not None
        prompt.skip_button.click()
        qtbot.waitUntil(lambda: dialog.account is not None, timeout=10_000)
    assert isinstance(dialog.account, Account)
    assert not CachedLogon(dialog.account.paths.root).passcode_kept
    dialog.account.close()


def test_with_a_keyring_no_passcode_is_offered(
    qtbot: QtBot, runner: BackgroundRunner, server_data: Path, provider: OidcProvider
) -> None:
    with _server(server_data, provider) as server:
        dialog = _dialog(qtbot, runner, server.url, StoppedClock())
        _signed_in_with_organisation(qtbot, dialog, provider)
    assert dialog.passcode_prompt is None
    assert isinstance(dialog.account, Account) and dialog.account.tokens_persistent
    dialog.account.close()


@pytest.mark.usefixtures("no_keyring")
@pytest.mark.expect_log("desktop_app.sync", "Could not reach the server")
def test_the_window_opens_offline_with_the_passcode(
    qapp: QApplication, qtbot: QtBot, server_data: Path, provider: OidcProvider
) -> None:
    with _server(server_data, provider) as server:
        account = _signed_in(server, provider)
        passcode.keep_passcode(account, PASSCODE)
        account.close()
    shell = Shell(qapp)
    try:
        QTimer.singleShot(0, lambda: _type_passcode(qtbot))
        assert shell.ask_sign_in(server.url, USERNAME)
        assert isinstance(shell.account, passcode.PasscodeAccount)
        assert shell.window is not None
        assert shell.window.status.currentMessage() == OFFLINE_START
        controller = shell.controller
        assert controller is not None
        qtbot.waitUntil(lambda: controller.retry_pending, timeout=20_000)
        assert controller.status.last_error.startswith("Offline: Could not reach the server")
    finally:
        shell.close_window()
        if shell.account is not None:
            shell.account.close()


def _type_passcode(qtbot: QtBot) -> None:
    """Types the passcode in the shell's sign-in dialog; a refusal closes it, so that the test
    fails instead of waiting for a learner."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SignInDialog)
    _submitted(qtbot, dialog, PASSCODE)
    if dialog.account is None:
        dialog.reject()
