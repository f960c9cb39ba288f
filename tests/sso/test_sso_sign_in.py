"""Signing in with the organisation, end to end on loopback: the desktop client's flow (PKCE,
state, nonce, loopback redirect) against the real reference server trusting panva's certified
`oidc-provider`; the system browser is `requests` on the provider's own login and consent forms.
Then the learner studies and syncs, and the server holds statements by the provider's subject."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from server_fixture import FAST_NETWORK, ServerClock
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.api.sso import PROVIDER_UNREACHABLE, SsoError, SsoUnreachableError
from desktop_app.content_store import ContentStore
from desktop_app.progress import LessonRef
from desktop_app.sso.flow import (
    DENIED,
    TIMED_OUT,
    WRONG_STATE,
    SsoCancelled,
    sign_in_with_organisation,
)
from desktop_app.sso.loopback import DONE_TEXT, NOT_THIS_SIGN_IN
from desktop_app.study import Study
from reference_server import ReferenceServer
from reference_server.models import Statement
from reference_server.sso_provider import SsoSettings

from .oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    SUBJECT,
    USERNAME,
    Browser,
    OidcProvider,
    running_provider,
)

WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc")) as running:
        yield running


def _server(data: Path, root: Path, clock: ServerClock, issuer: str) -> ReferenceServer:
    folder = shutil.copytree(data, root / "server")
    return ReferenceServer(folder, clock=clock, sso=SsoSettings(issuer, CLIENT_ID, CLIENT_SECRET))


@pytest.fixture
def sso_server(
    curriculum_data: Path, tmp_path: Path, server_clock: ServerClock, provider: OidcProvider
) -> Iterator[ReferenceServer]:
    with _server(curriculum_data, tmp_path, server_clock, provider.issuer) as running:
        yield running


class BrowserDriver:
    """Stands in for the system browser: on its own thread, signs in at the URL the app opens
    and goes back to the app's loopback address, with the redirect changed by `tamper`."""

    def __init__(
        self, issuer: str, *, allow: bool = True, tamper: Callable[[str], str] = str
    ) -> None:
        self.issuer, self.allow, self.tamper = issuer, allow, tamper
        self.opened: list[str] = []
        self.page: requests.Response | None = None
        self.failure: BaseException | None = None
        self._thread: threading.Thread | None = None

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        self._thread = threading.Thread(target=self._visit, args=(url,), daemon=True)
        self._thread.start()
        return True

    def _visit(self, url: str) -> None:
        browser = Browser(self.issuer)
        try:
            redirect = self.tamper(browser.authorize(url, allow=self.allow))
            self.page = browser.deliver(redirect)
        except BaseException as error:
            self.failure = error
        finally:
            browser.close()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=30)
        assert self.failure is None, self.failure


def _stored_actors(server: ReferenceServer) -> set[str]:
    with server.backend.db.read() as session:
        bodies = session.scalars(select(Statement.body)).all()
    return {json.dumps(json.loads(body)["actor"], sort_keys=True) for body in bodies}


def test_a_learner_signs_in_with_her_organisation_and_her_statements_name_its_subject(
    sso_server: ReferenceServer, provider: OidcProvider, tmp_path: Path
) -> None:
    browser = BrowserDriver(provider.issuer)
    account = sign_in_with_organisation(
        sso_server.url, browser, threading.Event(), timeout=60, config=FAST_NETWORK
    )
    browser.join()
    assert browser.page is not None and browser.page.status_code == 200
    assert DONE_TEXT in browser.page.text
    (opened,) = browser.opened
    assert "code_challenge_method=S256" in opened and "nonce=" in opened
    study = Study(account, ContentStore(tmp_path / "content"))
    try:
        assert account.username == USERNAME
        assert account.tokens.load() is not None
        with account.db.session() as session:
            study.progress.completed(session, WELCOME)
        summary = study.sync()
        assert summary.progress_error == ""
    finally:
        study.close()
        account.close()
    expected = {"homePage": provider.issuer, "name": SUBJECT}
    actors = _stored_actors(sso_server)
    assert len(actors) == 1
    assert json.loads(actors.pop())["account"] == expected

    again = Account.resume(sso_server.url, USERNAME, config=FAST_NETWORK)
    assert again is not None  # the session is kept as a password sign-in's is
    again.close()


def test_a_redirect_from_another_issuer_is_refused(
    sso_server: ReferenceServer, provider: OidcProvider
) -> None:
    browser = BrowserDriver(provider.issuer, tamper=lambda url: url.replace("iss=", "iss=x"))
    with pytest.raises(SsoError) as refused:
        sign_in_with_organisation(
            sso_server.url, browser, threading.Event(), timeout=60, config=FAST_NETWORK
        )
    browser.join()
    assert refused.value.message == WRONG_STATE
    assert all(request.path != "/api/v1/sso/token" for request in sso_server.requests)


def test_a_call_with_another_state_is_turned_away_and_the_sign_in_goes_on(
    sso_server: ReferenceServer, provider: OidcProvider
) -> None:
    browser = BrowserDriver(provider.issuer)
    stray: list[requests.Response] = []

    def another_program_calls_first(url: str) -> bool:
        redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        for query in ("?state=guessed&code=forged", "?code=forged", ""):
            stray.append(requests.get(redirect_uri + query, timeout=10))
        return browser(url)

    account = sign_in_with_organisation(
        sso_server.url,
        another_program_calls_first,
        threading.Event(),
        timeout=60,
        config=FAST_NETWORK,
    )
    browser.join()
    account.close()
    assert [answer.status_code for answer in stray] == [400, 400, 400]
    assert NOT_THIS_SIGN_IN in stray[0].text
    assert browser.page is not None and browser.page.status_code == 200
    assert account.username == USERNAME


def test_a_learner_who_denies_access_is_told_so(
    sso_server: ReferenceServer, provider: OidcProvider
) -> None:
    browser = BrowserDriver(provider.issuer, allow=False)
    with pytest.raises(SsoError) as refused:
        sign_in_with_organisation(
            sso_server.url, browser, threading.Event(), timeout=60, config=FAST_NETWORK
        )
    browser.join()
    assert refused.value.message == DENIED


def test_waiting_for_the_browser_times_out_or_is_cancelled(sso_server: ReferenceServer) -> None:
    opened: list[str] = []

    def nothing_happens(url: str) -> bool:
        opened.append(url)
        return True

    with pytest.raises(SsoError) as late:
        sign_in_with_organisation(
            sso_server.url, nothing_happens, threading.Event(), timeout=0.3, config=FAST_NETWORK
        )
    assert late.value.message == TIMED_OUT
    cancel = threading.Event()

    def learner_gives_up(url: str) -> bool:
        cancel.set()
        return True

    with pytest.raises(SsoCancelled):
        sign_in_with_organisation(sso_server.url, learner_gives_up, cancel, config=FAST_NETWORK)
    assert len(opened) == 1


def test_a_provider_that_is_down_is_said_before_the_browser_opens(
    curriculum_data: Path, tmp_path: Path, server_clock: ServerClock
) -> None:
    opened: list[str] = []
    closed = "http://127.0.0.1:9"
    with (
        _server(curriculum_data, tmp_path, server_clock, closed) as server,
        pytest.raises(SsoUnreachableError) as down,
    ):
        sign_in_with_organisation(server.url, opened.append, threading.Event(), config=FAST_NETWORK)
    assert down.value.message == PROVIDER_UNREACHABLE
    assert opened == []
