"""An offline passcode for learners who sign in with their organisation.

They have no password this computer could check, and where no keyring keeps their session (a
shared hospital workstation), nothing would open their account once Rounds closes and the
network is gone. After such a sign-in they may choose a passcode for this computer. It is kept
only as a verifier in the account's folder (`desktop_app.offline_sign_in`: as slow to guess as
a password's, with the same waits after failures), is never sent anywhere, and is removed when
they sign out. With the server out of reach, the sign-in dialog opens the account's cache with
it; once the server answers again, the learner signs in with the organisation and the work done
meanwhile uploads.
"""

from __future__ import annotations

from desktop_app.account import (
    Account,
    remembered_name,
    server_about,
    tokens_for,
    transport_config,
)
from desktop_app.api.addresses import checked_base_url
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import ApiError, AuthenticationError, SessionExpiredError
from desktop_app.api.payloads import User
from desktop_app.api.reconnecting_store import ReconnectingTokenStore
from desktop_app.api.transport_config import TransportConfig
from desktop_app.config import AccountPaths, load_settings
from desktop_app.offline_sign_in import CachedLogon, SlowDown, TooManyAttempts
from desktop_app.text import Message, translate

SHORTEST = 8
TOO_SHORT = translate("sso", "Choose a passcode of at least {count} characters.")
NOT_THE_SAME = translate("sso", "The two passcodes are not the same.")
WRONG_PASSCODE = translate(
    "sso", "This is not the offline passcode set for this account on this computer."
)
SERVER_ANSWERS = translate(
    "sso",
    "The server can be reached, so sign in with your organisation. Your offline passcode "
    "opens Rounds only when the server cannot be reached.",
)
SIGN_IN_AGAIN = translate(
    "sso", "The server can be reached again: sign in with your organisation to upload your work."
)


def offers_passcode(account: object) -> bool:
    """Whether to offer a passcode after this organisation sign-in: no keyring keeps its
    session, and nothing on this computer opens the account offline yet."""
    if not isinstance(account, Account) or account.tokens_persistent:
        return False
    logon = CachedLogon(account.paths.root)
    return not (logon.available or logon.passcode_kept)


def passcode_problem(passcode: str, repeated: str) -> Message | None:
    """Why `passcode` (typed twice) cannot be kept, or None if it can."""
    if len(passcode) < SHORTEST:
        return TOO_SHORT.format(count=SHORTEST)
    if passcode != repeated:
        return NOT_THE_SAME.format()
    return None


def keep_passcode(account: object, passcode: str) -> None:
    """Keep `passcode` for `account` on this computer (slow: off the UI thread). Raises
    ValueError for one `passcode_problem` refuses, OSError if the folder cannot be written."""
    problem = passcode_problem(passcode, passcode)
    if problem is not None:
        raise ValueError(problem)
    assert isinstance(account, Account)
    CachedLogon(account.paths.root).keep_passcode(passcode)


def sign_in_or_offline(
    server_url: str,
    username: str,
    secret: str,
    *,
    config: TransportConfig | None = None,
    slow_down: SlowDown | None = None,
) -> Account:
    """`Account.sign_in_or_offline`, except for an account with an offline passcode on this
    computer: what was typed is then that passcode, never sent to the server; it opens the
    account only while the server cannot be reached."""
    base_url = checked_base_url(server_url)
    paths = AccountPaths.for_account(base_url, username)
    logon = CachedLogon(paths.root, slow_down or SlowDown())
    if not logon.passcode_kept:
        return Account.sign_in_or_offline(
            server_url, username, secret, config=config, slow_down=slow_down
        )
    config = config or transport_config(load_settings())
    if _answers(base_url, config):
        raise AuthenticationError(SERVER_ANSWERS)
    _check(logon, secret)
    return PasscodeAccount.opened_offline(server_url, username, paths, config)


class PasscodeAccount(Account):
    """An organisation account opened with its offline passcode: its cache, and no session
    until the learner signs in with the organisation again."""

    @classmethod
    def opened_offline(
        cls, server_url: str, username: str, paths: AccountPaths, config: TransportConfig
    ) -> PasscodeAccount:
        settings = load_settings()
        server_url = checked_base_url(server_url)
        tokens = tokens_for(paths, server_url, username)
        store = ReconnectingTokenStore(tokens)
        api = ApiClient(server_url, tokens=store, config=config)
        user = User(id="", username=username, display_name=remembered_name(settings, username))
        account = cls(user, server_url, tokens, api, settings, paths)
        store.reconnect = account.reconnect
        return account

    @property
    def offline(self) -> bool:
        return True

    def reconnect(self) -> None:
        """Raises the OfflineError (or other ApiError) of asking the server who it is while
        that fails; once it answers, SessionExpiredError: only the organisation's page gives
        a session, so the learner is asked to sign in there."""
        _ask_who(self.server_url, self.api.config)
        raise SessionExpiredError(SIGN_IN_AGAIN)


def _answers(server_url: str, config: TransportConfig) -> bool:
    """Whether the server tells who it is."""
    try:
        _ask_who(server_url, config)
    except ApiError:
        return False
    return True


def _ask_who(server_url: str, config: TransportConfig) -> None:
    """Asks the server who it is, with nothing secret sent; raises its ApiError if it cannot
    tell."""
    client = ApiClient(server_url, config=config)
    try:
        server_about(client)
    finally:
        client.close()


def _check(logon: CachedLogon, passcode: str) -> None:
    try:
        accepted = logon.check(passcode)
    except TooManyAttempts as error:
        raise AuthenticationError(error.message) from error
    if not accepted:
        raise AuthenticationError(WRONG_PASSCODE)
