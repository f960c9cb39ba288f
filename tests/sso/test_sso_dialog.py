"""The sign-in dialog's "Sign in with your organisation": shown only when the server offers it,
it signs the learner in through the (driven) browser against the real provider, and pressed
again it stops waiting."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from server_fixture import FAST_NETWORK, ServerClock
from shots import keep, light_and_dark, shots_folder

from desktop_app.account import Account
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.sso.flow import SsoCancelled, offers_sign_in, sign_in_with_organisation
from desktop_app.views.organisation_sign_in import OrganisationFlow
from desktop_app.views.sign_in import SignInDialog
from reference_server import ReferenceServer
from reference_server.sso_provider import SsoSettings

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, USERNAME, OidcProvider, running_provider
from .test_sso_sign_in import BrowserDriver

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
SHOTS = shots_folder("ROUNDS_SSO_SHOTS")
FLOW = OrganisationFlow(
    functools.partial(offers_sign_in, config=FAST_NETWORK),
    functools.partial(sign_in_with_organisation, timeout=60, config=FAST_NETWORK),
    SsoCancelled,
)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc")) as running:
        yield running


@pytest.fixture
def server_with_sso(
    curriculum_data: Path, tmp_path: Path, server_clock: ServerClock, provider: OidcProvider
) -> Iterator[ReferenceServer]:
    settings = SsoSettings(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    data = shutil.copytree(curriculum_data, tmp_path / "server")
    with ReferenceServer(data, clock=server_clock, sso=settings) as running:
        yield running


def _dialog(qtbot: QtBot, runner: BackgroundRunner, url: str) -> SignInDialog:
    dialog = SignInDialog(
        runner,
        Account.sign_in,
        lambda error: describe(error).message,
        server_url=url,
        organisation=FLOW,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _shoot(dialog: SignInDialog, name: str) -> None:
    """The dialog as it looks, light and dark, kept when ROUNDS_SSO_SHOTS names a folder."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    keep(light_and_dark(app, dialog, name), SHOTS)


def test_the_button_signs_in_through_the_browser(
    qtbot: QtBot,
    runner: BackgroundRunner,
    server_with_sso: ReferenceServer,
    provider: OidcProvider,
) -> None:
    dialog = _dialog(qtbot, runner, server_with_sso.url)
    organisation = dialog.organisation
    assert organisation is not None
    qtbot.waitUntil(organisation.button.isVisible, timeout=10_000)
    assert organisation.button.accessibleName() == "Sign in with your organisation"
    _shoot(dialog, "offered")
    browser = BrowserDriver(provider.issuer)
    organisation.open_browser = browser
    organisation.button.click()
    qtbot.waitUntil(lambda: dialog.account is not None, timeout=30_000)
    browser.join()
    assert browser.page is not None
    assert "You can close this page and go back to Rounds." in browser.page.text
    assert isinstance(dialog.account, Account)
    assert dialog.account.username == USERNAME
    dialog.account.close()


def test_pressed_again_it_stops_waiting(
    qtbot: QtBot, runner: BackgroundRunner, server_with_sso: ReferenceServer
) -> None:
    dialog = _dialog(qtbot, runner, server_with_sso.url)
    organisation = dialog.organisation
    assert organisation is not None
    qtbot.waitUntil(organisation.button.isVisible, timeout=10_000)
    opened = threading.Event()
    organisation.open_browser = lambda _url: opened.set() or True
    organisation.button.click()
    assert opened.wait(10)
    assert dialog.message.text() == "Waiting for you to sign in in your web browser…"
    assert not dialog.buttons.isEnabled()
    _shoot(dialog, "waiting")
    organisation.button.click()
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=10_000)
    assert dialog.message.text() == ""
    assert organisation.button.text() == "Sign in with your &organisation"


def test_a_server_without_it_shows_no_button(
    qtbot: QtBot, runner: BackgroundRunner, reference_server: ReferenceServer
) -> None:
    dialog = _dialog(qtbot, runner, reference_server.url)
    assert runner.wait_for_idle(10_000)
    QApplication.processEvents()
    assert dialog.organisation is not None
    assert not dialog.organisation.button.isVisible()
