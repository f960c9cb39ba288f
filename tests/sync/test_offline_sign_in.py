"""Without a keyring, an account that signed in here once opens offline with its password, as
operating systems do with cached logons, and uploads its work once the server is back."""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK, server_statement_ids

from desktop_app import offline_sign_in
from desktop_app.account import Account
from desktop_app.api.errors import AuthenticationError, OfflineError, SessionExpiredError
from desktop_app.cli.download import download_course
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.content_store import ContentStore
from desktop_app.error_text import describe
from desktop_app.offline_sign_in import CachedLogon, SlowDown
from desktop_app.progress import LessonRef
from desktop_app.study import Study
from reference_server.server import ReferenceServer

WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


class FakeTime:
    """A clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def clock(self) -> float:
        return self.now

    @property
    def slow_down(self) -> SlowDown:
        return SlowDown(self.clock)


@pytest.fixture(autouse=True)
def no_keyring() -> None:
    """A workstation with no keyring service (the conftest puts the usual one back after)."""
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def server_data(curriculum_data: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(curriculum_data, tmp_path / "server-data"))


@pytest.fixture
def gone_server(server_data: Path) -> Iterator[ReferenceServer]:
    """A server the learner signed in to and downloaded a course from once, stopped since."""
    server = ReferenceServer(server_data).start()
    account = Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    store = ContentStore(server_data.parent / "content")
    study = Study(account, store)
    study.sync()
    quiet = io.StringIO()
    downloaded = download_course(account.api, account.db, store, "c-foundations", out=quiet)
    assert downloaded == ExitCode.OK
    study.close()
    account.close()
    server.stop()
    yield server


def open_offline(server: ReferenceServer, password: str, time: FakeTime | None = None) -> Account:
    slow_down = (time or FakeTime()).slow_down
    return Account.sign_in_or_offline(
        server.url, DEMO_USER, password, config=FAST_NETWORK, slow_down=slow_down
    )


def restarted(server: ReferenceServer, server_data: Path) -> ReferenceServer:
    """The same server, to start again on the same address."""
    return ReferenceServer(server_data, port=int(server.url.rsplit(":", 1)[1]))


def test_the_folder_keeps_a_verifier_but_never_the_password_or_a_token(
    server_data: Path,
) -> None:
    with ReferenceServer(server_data) as server:
        account = Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
        tokens = account.tokens.load()
        account.close()
    assert tokens is not None
    files = [path for path in account.paths.root.rglob("*") if path.is_file()]
    assert "offline-sign-in.json" in {path.name for path in files}
    secrets = [DEMO_PASSWORD, tokens.access_token, tokens.refresh_token]
    for path in files:
        data = path.read_bytes()
        assert not [secret for secret in secrets if secret.encode() in data], path.name


@pytest.mark.expect_log("desktop_app.sync.engine", "Could not reach the server")
def test_offline_the_password_opens_the_cache_and_the_work_uploads_when_the_server_is_back(
    gone_server: ReferenceServer, server_data: Path
) -> None:
    account = open_offline(gone_server, DEMO_PASSWORD)
    study = Study(account, ContentStore(server_data.parent / "content"))
    try:
        assert account.offline and account.tokens.load() is None
        files = study.lesson_files(WELCOME.lesson_id)
        assert files is not None and not files.missing and files.files["media"].is_file()
        with account.db.session() as session:
            recorded = study.progress.completed(session, WELCOME)
        assert study.pending().statements == 1
        with pytest.raises(OfflineError):  # a sync while away is offline, not "signed out"
            study.sync()
        with restarted(gone_server, server_data) as server:
            summary = study.sync()  # its first request signs in with the held password
            assert summary.upload is not None and summary.upload.error is None
            assert recorded in set(server_statement_ids(server))
        assert not account.offline and account.tokens.load() is not None
        assert study.pending().empty
    finally:
        study.close()
        account.close()


def test_wrong_passwords_offline_are_refused_as_online_and_slowed_after_five(
    gone_server: ReferenceServer, server_data: Path
) -> None:
    with (
        restarted(gone_server, server_data) as server,
        pytest.raises(AuthenticationError) as online,
    ):
        Account.sign_in(server.url, DEMO_USER, "not-the-password", config=FAST_NETWORK)
    time = FakeTime()

    def refused(password: str) -> str:
        with pytest.raises(AuthenticationError) as offline:
            open_offline(gone_server, password, time)
        return offline.value.message

    assert [refused("not-the-password") for _ in range(5)] == [online.value.message] * 5
    too_soon = refused(DEMO_PASSWORD)  # not even checked, nor counted, before the wait is over
    assert too_soon == "Too many attempts: wait 1 second, then try again."
    time.now += 1.0
    assert refused("not-the-password") == online.value.message
    time.now += 0.5
    assert refused(DEMO_PASSWORD) == "Too many attempts: wait 2 seconds, then try again."
    time.now += 2.0
    open_offline(gone_server, DEMO_PASSWORD, time).close()
    assert refused("not-the-password") == online.value.message  # a success starts again


def test_signing_in_does_not_wait_for_the_slow_offline_check(
    server_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check's hash is held back until the sign-in has returned (a slow computer, which
    the suite cannot be otherwise): the learner is in before it is computed, and it is kept
    before the account closes."""
    signed_in = threading.Event()
    scrypt = offline_sign_in._scrypt

    def once_signed_in(*args: object) -> bytes:
        if not signed_in.wait(10):
            raise AssertionError("the sign-in waited for the offline check")
        return scrypt(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(offline_sign_in, "_scrypt", once_signed_in)
    with ReferenceServer(server_data) as server:
        account = Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    assert not CachedLogon(account.paths.root).available
    signed_in.set()
    account.close()
    assert CachedLogon(account.paths.root).available


def test_a_password_changed_on_the_server_meanwhile_asks_to_sign_in_again(
    gone_server: ReferenceServer, server_data: Path
) -> None:
    account = open_offline(gone_server, DEMO_PASSWORD)
    try:
        with restarted(gone_server, server_data) as server:
            server.admin.add_user(DEMO_USER, "changed-on-the-server", "Ana Ortiz", "u-ana")
            with pytest.raises(SessionExpiredError) as refused:
                account.reconnect()
        assert describe(refused.value).session_expired
        assert not account.offline  # the held password is dropped
    finally:
        account.close()


def test_an_account_never_signed_in_here_cannot_open_offline(server_data: Path) -> None:
    with ReferenceServer(server_data) as server:
        url = server.url
    with pytest.raises(OfflineError):
        Account.sign_in_or_offline(url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)


@pytest.mark.expect_log("desktop_app.sync.engine", "answers as another server")
def test_another_server_at_the_same_address_gets_nothing_from_this_cache(
    gone_server: ReferenceServer, server_data: Path, curriculum_data: Path, tmp_path: Path
) -> None:
    account = open_offline(gone_server, DEMO_PASSWORD)
    study = Study(account, ContentStore(server_data.parent / "content"))
    other_data = Path(shutil.copytree(curriculum_data, tmp_path / "other-server"))
    (other_data / "server-id").unlink(missing_ok=True)  # another server, with its own id
    try:
        with account.db.session() as session:
            study.progress.completed(session, WELCOME)
        with restarted(gone_server, other_data) as other:
            with pytest.raises(SessionExpiredError):
                study.sync()
            assert set(server_statement_ids(other)) == set()
        assert account.tokens.load() is None and not account.offline
        assert study.pending().statements == 1
    finally:
        study.close()
        account.close()
