"""Signing in with the learner's organisation: OpenID Connect's authorization code flow with
PKCE in the system browser, for a native app (RFC 8252).

The app makes a PKCE verifier (S256 challenge), a state and a nonce, listens on a loopback
port, and opens the organisation's sign-in page in the browser. The learner signs in there
(the app never sees that password); the browser comes back to the loopback address with a
code, which is taken only with the state the app sent (and, if the provider names itself, its
issuer: RFC 9207). The server exchanges the code and the verifier for its own session, and
the account opens as after a password sign-in, without a password to open it offline.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from desktop_app.account import Account, account_folder, server_about, transport_config
from desktop_app.api.addresses import checked_base_url
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import ApiError
from desktop_app.api.sso import NOT_OFFERED, SsoError, SsoOffer, sso_offer, sso_sign_in
from desktop_app.api.transport_config import TransportConfig
from desktop_app.config import load_settings
from desktop_app.signed_token import b64url
from desktop_app.text import translate

SIGN_IN_TIMEOUT = 300.0
BrowserOpener = Callable[[str], bool]
"""Opens a URL in the system browser; False if none could be opened."""

DENIED = translate("sso", "Sign-in with your organisation was cancelled or denied.")
PROVIDER_ERROR = translate("sso", "Your organisation's sign-in service refused: {reason}")
TIMED_OUT = translate(
    "sso", "Sign-in with your organisation took too long. Start again when you are ready."
)
WRONG_STATE = translate(
    "sso",
    "The answer from the sign-in page does not belong to this sign-in, so it was refused. "
    "Start again.",
)
NO_CODE = translate("sso", "The sign-in page came back without a sign-in code. Start again.")
NO_BROWSER = translate("sso", "No web browser could be opened for signing in.")


class SsoCancelled(Exception):
    """The learner stopped waiting for the browser."""


@dataclass(frozen=True)
class AuthorizationRequest:
    """One sign-in's secrets: the PKCE verifier, the state and the nonce (RFC 7636, 6749)."""

    redirect_uri: str
    verifier: str = field(repr=False, default_factory=lambda: b64url(secrets.token_bytes(32)))
    state: str = field(repr=False, default_factory=lambda: b64url(secrets.token_bytes(24)))
    nonce: str = field(repr=False, default_factory=lambda: b64url(secrets.token_bytes(24)))

    @property
    def challenge(self) -> str:
        return b64url(hashlib.sha256(self.verifier.encode("ascii")).digest())

    def url(self, offer: SsoOffer) -> str:
        """The provider's authorization URL for this request."""
        query = urlencode(
            {
                "response_type": "code",
                "client_id": offer.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": " ".join(offer.scopes),
                "state": self.state,
                "nonce": self.nonce,
                "code_challenge": self.challenge,
                "code_challenge_method": "S256",
            }
        )
        separator = "&" if urlsplit(offer.authorization_endpoint).query else "?"
        return f"{offer.authorization_endpoint}{separator}{query}"


def authorization_code(query: dict[str, str], request: AuthorizationRequest, issuer: str) -> str:
    """The code in the redirect's `query`, if it answers `request`; else SsoError."""
    if not hmac.compare_digest(query.get("state", "").encode(), request.state.encode()):
        raise SsoError(WRONG_STATE)
    if "iss" in query and query["iss"] != issuer:
        raise SsoError(WRONG_STATE)
    error = query.get("error")
    if error == "access_denied":
        raise SsoError(DENIED)
    if error:
        reason = query.get("error_description") or error
        raise SsoError(PROVIDER_ERROR.format(reason=reason[:200]))
    code = query.get("code", "")
    if not code:
        raise SsoError(NO_CODE)
    return code


def offers_sign_in(server_url: str, config: TransportConfig | None = None) -> bool:
    """Whether the server at `server_url` offers signing in with the organisation; False
    when it cannot be asked (the password sign-in then says why)."""
    try:
        url = checked_base_url(server_url)
        client = ApiClient(url, config=config or transport_config(load_settings()))
    except ApiError:
        return False
    try:
        return sso_offer(client) is not None
    except ApiError:
        return False
    finally:
        client.close()


def sign_in_with_organisation(
    server_url: str,
    open_browser: BrowserOpener,
    cancel: threading.Event,
    *,
    timeout: float = SIGN_IN_TIMEOUT,
    config: TransportConfig | None = None,
    localize: Callable[[str], str] = str,
) -> Account:
    """The account of the learner who signs in at the organisation's page; SsoError (or an
    ApiError from the server) with a sentence if not, SsoCancelled if `cancel` was set.
    The pages the browser is answered with go through `localize` (the window passes
    `desktop_app.views.i18n.localized`, so they are in the learner's language)."""
    settings = load_settings()
    typed, server_url = server_url, checked_base_url(server_url)
    config = config or transport_config(settings)
    client = ApiClient(server_url, config=config)
    try:
        offer = sso_offer(client)
        if offer is None:
            raise SsoError(NOT_OFFERED)
        code, request = _code_from_browser(offer, open_browser, cancel, timeout, localize)
        signed_in = sso_sign_in(client, code, request.verifier, request.redirect_uri, request.nonce)
        about = server_about(client)
    finally:
        client.close()
    paths = account_folder(about, signed_in.user, server_url, typed)
    return Account.opened(signed_in, about, server_url, paths, config, settings)


def _code_from_browser(
    offer: SsoOffer,
    open_browser: BrowserOpener,
    cancel: threading.Event,
    timeout: float,
    localize: Callable[[str], str],
) -> tuple[str, AuthorizationRequest]:
    from desktop_app.sso.loopback import LoopbackListener  # http.server: only once asked for

    listener = LoopbackListener(localize)
    try:
        request = AuthorizationRequest(listener.redirect_uri)
        listener.expect(request.state)
        if not open_browser(request.url(offer)):
            raise SsoError(NO_BROWSER)
        query = listener.wait(timeout, cancel)
    finally:
        listener.close()
    if query is None:
        if cancel.is_set():
            raise SsoCancelled()
        raise SsoError(TIMED_OUT)
    return authorization_code(query, request, offer.issuer), request
