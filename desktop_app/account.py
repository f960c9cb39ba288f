"""One signed-in account, composed without Qt: its cache, its API client and its tokens.

The GUI and the command line both start here: `Account.sign_in` with a password, or
`Account.resume` with the tokens already in the keyring. `Account.sign_in_or_offline` opens the
cache with the password alone when the server cannot be reached (`offline_sign_in`), and gets
tokens with it once the server answers. The last signed-in server and username are remembered
in the settings so the next start can offer them. The folder, the tokens in the keyring and the
learner's xAPI account are keyed on the ids the server gives (`learner_actor`), never on the
address as typed.
"""

from __future__ import annotations

import logging
import shutil
import threading
from functools import partial
from typing import TYPE_CHECKING, Protocol

from desktop_app.api.addresses import checked_base_url
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import (
    WRONG_PASSWORD,
    AuthenticationError,
    OfflineError,
    ProblemError,
    SessionExpiredError,
)
from desktop_app.api.payloads import ServerAbout, SignIn, User
from desktop_app.api.reconnecting_store import ReconnectingTokenStore
from desktop_app.api.token_store import KeyringTokenStore
from desktop_app.api.tokens import TokenStore
from desktop_app.api.transport_config import TransportConfig
from desktop_app.cache_repair import open_cache
from desktop_app.config import AccountPaths, Settings, load_settings, save_settings
from desktop_app.offline_sign_in import CachedLogon, HeldPassword, SlowDown, TooManyAttempts
from desktop_app.progress.identity import iri_bases_for, learner_actor, save_stated_identity
from desktop_app.progress.xapi import Actor
from desktop_app.text import translate

if TYPE_CHECKING:
    from desktop_app.sync.engine import AssetsReleased, ProgressCallback, SyncEngine
    from desktop_app.sync.summary import SyncSummary

log = logging.getLogger(__name__)
DISPLAY_NAME_KEY = "display_name"
ANOTHER_SERVER = translate("account", "This address now answers as another server.")


class KeptTokens(TokenStore, Protocol):
    """Where an account's tokens are kept: the keyring, or this process's memory."""

    @property
    def persistent(self) -> bool: ...


def transport_config(settings: Settings) -> TransportConfig:
    return TransportConfig(
        ca_bundle=settings.ca_bundle,
        deadline=float(settings.request_deadline_seconds),
        proxy_url=settings.proxy_url,
        proxy_pac_url=settings.proxy_pac_url,
    )


class Account:
    """A server, a user on it, the local cache of what they see, and a client that talks."""

    def __init__(
        self,
        user: User,
        server_url: str,
        tokens: KeptTokens,
        api: ApiClient,
        settings: Settings,
        paths: AccountPaths | None = None,
    ) -> None:
        self.user = user
        self.server_url = server_url
        self.tokens = tokens
        self.api = api
        self.settings = settings
        self.paths = paths or AccountPaths.for_account(server_url, user.username)
        try:
            self.db, self.cache_repair = open_cache(self.paths.database)
        except BaseException:
            api.close()  # a cache that is busy or cannot be rebuilt: no account, no session
            raise
        self._held: HeldPassword | None = None
        self._verifier: threading.Thread | None = None  # computing the offline sign-in check
        self._reconnecting = threading.Lock()  # sync, downloads and check-ins may all ask

    @property
    def offline(self) -> bool:
        """Opened with the password checked on this computer; no tokens until `reconnect`."""
        return self._held is not None

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def display_name(self) -> str:
        return self.user.display_name or self.user.username

    @property
    def actor(self) -> Actor:
        """The learner as this account's statements name them (see `learner_actor`)."""
        return learner_actor(self.server_url, self.username, self.display_name, self.paths)

    @property
    def iri_bases(self) -> tuple[str, str]:
        """The bases of activity IRIs and of extension IRIs the server stated at the last
        sign-in; before any such sign-in, activities under the actor's home page and the
        extensions under the earlier base."""
        return iri_bases_for(self.paths, self.actor)

    @property
    def tokens_persistent(self) -> bool:
        """False if no keyring works here: the sign-in then lasts for this session only."""
        return self.tokens.persistent

    @classmethod
    def sign_in(
        cls,
        server_url: str,
        username: str,
        password: str,
        *,
        config: TransportConfig | None = None,
    ) -> Account:
        """Sign in with a password; raises AuthenticationError, OfflineError, … on failure."""
        settings = load_settings()
        typed, server_url = server_url, checked_base_url(server_url)
        config = config or transport_config(settings)
        signed_in, about = _sign_in(server_url, username, password, config)
        paths = account_folder(about, signed_in.user, server_url, typed)
        verifier = CachedLogon(paths.root).remember(password)
        account = cls.opened(signed_in, about, server_url, paths, config, settings)
        account._verifier = verifier
        return account

    @classmethod
    def opened(
        cls,
        signed_in: SignIn,
        about: ServerAbout,
        server_url: str,
        paths: AccountPaths,
        config: TransportConfig,
        settings: Settings,
    ) -> Account:
        """The account of a new session (a password's, or single sign-on's with no password
        to open it offline), in the folder `account_folder` gave."""
        _keep_stated_identity(paths, signed_in)
        ids = (about.id, signed_in.user.id)
        tokens = KeyringTokenStore.for_identity(ids, server_url, signed_in.user.username)
        tokens.save(signed_in.tokens)
        api = _client(server_url, tokens, config, paths)
        account = cls(signed_in.user, server_url, tokens, api, settings, paths)
        account._remember()
        log.info("Signed in as %s on %s", account.username, server_url)
        return account

    @classmethod
    def sign_in_or_offline(
        cls,
        server_url: str,
        username: str,
        password: str,
        *,
        config: TransportConfig | None = None,
        slow_down: SlowDown | None = None,
    ) -> Account:
        """`sign_in`, or if the server cannot be reached, the cache of an account that signed
        in here before, opened with the same password checked on this computer."""
        try:
            return cls.sign_in(server_url, username, password, config=config)
        except OfflineError:
            paths = AccountPaths.for_account(checked_base_url(server_url), username)
            logon = CachedLogon(paths.root, slow_down or SlowDown())
            if not logon.available:
                raise
            return cls._open_offline(server_url, username, password, logon, config)

    @classmethod
    def _open_offline(
        cls,
        server_url: str,
        username: str,
        password: str,
        logon: CachedLogon,
        config: TransportConfig | None,
    ) -> Account:
        _check_offline(logon, password)
        settings = load_settings()
        server_url = checked_base_url(server_url)
        paths = AccountPaths(logon.folder)
        tokens = tokens_for(paths, server_url, username)
        on_first_use = ReconnectingTokenStore(tokens)
        api = _client(server_url, on_first_use, config or transport_config(settings), paths)
        user = User(id="", username=username, display_name=remembered_name(settings, username))
        account = cls(user, server_url, tokens, api, settings, paths)
        account._held = HeldPassword(password)
        on_first_use.reconnect = account.reconnect
        log.info("Opened %s on %s offline, with the password checked here", username, server_url)
        return account

    @classmethod
    def handed_over(
        cls,
        user: User,
        server_url: str,
        tokens: KeptTokens,
        config: TransportConfig,
        settings: Settings,
        paths: AccountPaths,
    ) -> Account:
        """The account of a window's sync process (`desktop_app.sync_process`), opened with
        the tokens the window holds, which it keeps."""
        api = _client(server_url, tokens, config, paths)
        return cls(user, server_url, tokens, api, settings, paths)

    def reconnect(self) -> None:
        """After an offline start, sign in with the held password (then forgotten); raises
        OfflineError while the server is out of reach, and SessionExpiredError if it no longer
        accepts the password, so the learner signs in again."""
        with self._reconnecting:
            held = self._held
            if held is None:
                return
            signed_in = self._signed_in_again(held)
            self.tokens.save(signed_in.tokens)
            _keep_stated_identity(self.paths, signed_in)
            self._verifier = CachedLogon(self.paths.root).remember(held.reveal())
            self._held = None
        log.info("Signed in as %s on %s now that it answers", self.username, self.server_url)

    def _signed_in_again(self, held: HeldPassword) -> SignIn:
        """A session for the held password, refused (and the password dropped) if the server
        no longer takes it, or if this address now answers as another server or person: this
        cache's work must not go there."""
        config = self.api.config
        try:
            signed_in, about = _sign_in(self.server_url, self.username, held.reveal(), config)
        except AuthenticationError as error:
            self._held = None
            raise SessionExpiredError(WRONG_PASSWORD) from error
        if AccountPaths.for_identity(about.id, signed_in.user.id) != self.paths:
            self._held = None
            raise SessionExpiredError(ANOTHER_SERVER)
        return signed_in

    @classmethod
    def resume(
        cls,
        server_url: str,
        username: str,
        *,
        config: TransportConfig | None = None,
    ) -> Account | None:
        """The account whose tokens are in the keyring, or None if it must sign in again.

        Nothing is sent to the server: an expired access token is renewed on first use.
        """
        settings = load_settings()
        server_url = checked_base_url(server_url)
        paths = AccountPaths.for_account(server_url, username)
        tokens = tokens_for(paths, server_url, username)
        if tokens.load() is None:
            return None
        api = _client(server_url, tokens, config or transport_config(settings), paths)
        user = User(id="", username=username, display_name=remembered_name(settings, username))
        return cls(user, server_url, tokens, api, settings, paths)

    def sync_engine(self, on_assets_released: AssetsReleased | None = None) -> SyncEngine:
        from desktop_app.sync.engine import DEFAULT_PAGE_SIZE, SyncEngine  # a sync's only

        page_size = self.settings.sync_page_size or DEFAULT_PAGE_SIZE
        return SyncEngine(
            self.db, self.api, page_size=page_size, on_assets_released=on_assets_released
        )

    def sync(
        self,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncSummary:
        """Pull the catalog and schedule once (see `SyncEngine.run`)."""
        return self.sync_engine().run(progress=progress, cancel=cancel)

    def sign_out(self, *, forget_local_data: bool = False) -> None:
        """Remove the tokens and an offline passcode (with `forget_local_data`, this account's
        cache too)."""
        self.tokens.clear()
        settings = load_settings()
        if settings.username == self.username:
            save_settings(settings.with_changes(username="", extra=_without_name(settings)))
        self.close()
        CachedLogon(self.paths.root).forget_passcode()
        if forget_local_data:
            shutil.rmtree(self.paths.root, ignore_errors=True)
        log.info("Signed out of %s", self.server_url)

    def close(self) -> None:
        """Close the client and the cache, once the offline sign-in check is kept."""
        if self._verifier is not None:
            self._verifier.join()
        self.api.close()
        self.db.close()

    def _remember(self) -> None:
        settings = load_settings()
        extra = {**settings.extra, DISPLAY_NAME_KEY: self.user.display_name}
        save_settings(
            settings.with_changes(server_url=self.server_url, username=self.username, extra=extra)
        )


def _check_offline(logon: CachedLogon, password: str) -> None:
    """A wrong password is refused in the server's words; one tried too soon after repeated
    failures, with how long to wait."""
    try:
        accepted = logon.check(password)
    except TooManyAttempts as error:
        raise AuthenticationError(error.message) from error
    if not accepted:
        raise AuthenticationError(WRONG_PASSWORD)


def _sign_in(
    server_url: str, username: str, password: str, config: TransportConfig
) -> tuple[SignIn, ServerAbout]:
    client = ApiClient(server_url, config=config)
    try:
        return client.sign_in(username, password), server_about(client)
    finally:
        client.close()


def server_about(client: ApiClient) -> ServerAbout:
    """Who the server is; a server older than /api/v1/about is known by its address."""
    try:
        return client.about()
    except ProblemError as error:
        if error.status != 404:
            raise
        return ServerAbout(id=client.server_url, name="", api_version="1")


def account_folder(about: ServerAbout, user: User, server_url: str, typed: str) -> AccountPaths:
    """The folder keyed on the server's and the user's ids. A folder of this account kept
    under its address (before ids) is moved there first; if it cannot be moved (another
    program has it open), it stays in use where it is, so nothing is lost."""
    paths = AccountPaths.for_identity(about.id, user.id)
    for address in dict.fromkeys((server_url, typed.strip().rstrip("/"))):
        older = AccountPaths.by_address(address, user.username)
        if not paths.root.exists() and older.root.is_dir():
            paths = _moved(older, paths)
    homes = (about.home_page, *about.former_home_pages) if about.home_page else ()
    paths.remember(server_url, user.username, (about.id, user.id), homes)
    return paths


def tokens_for(paths: AccountPaths, server_url: str, username: str) -> KeyringTokenStore:
    """The keyring entry of the ids the folder's last sign-in noted; by address without them."""
    recorded = paths.recorded()
    if not (recorded.server_id and recorded.user_id):
        return KeyringTokenStore.for_account(server_url, username)
    return KeyringTokenStore.for_identity(
        (recorded.server_id, recorded.user_id), server_url, username
    )


def _client(
    server_url: str, tokens: TokenStore, config: TransportConfig, paths: AccountPaths
) -> ApiClient:
    """The account's client: a renewed session keeps how the server names the learner, as a
    sign-in does, so a changed identity home page is followed without signing in again."""
    keep = partial(_keep_stated_identity, paths)
    return ApiClient(server_url, tokens=tokens, config=config, on_refreshed=keep)


def _keep_stated_identity(paths: AccountPaths, signed_in: SignIn) -> None:
    if signed_in.xapi is not None:
        save_stated_identity(paths.root, signed_in.xapi)


def _moved(older: AccountPaths, paths: AccountPaths) -> AccountPaths:
    try:
        older.root.rename(paths.root)
    except OSError as error:
        log.warning("Could not move the account folder %s: %s", older.root, error)
        return older
    log.info("Moved the account folder %s to %s", older.root.name, paths.root.name)
    return paths


def remembered_name(settings: Settings, username: str) -> str:
    name = settings.extra.get(DISPLAY_NAME_KEY) if settings.username == username else None
    return name if isinstance(name, str) else ""


def _without_name(settings: Settings) -> dict[str, object]:
    return {key: value for key, value in settings.extra.items() if key != DISPLAY_NAME_KEY}
