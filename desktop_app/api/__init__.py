"""HTTP client of the Rounds remote API: a transport and typed endpoint methods on top.

The names below load on first use (PEP 562), so importing a light submodule such as
`addresses` or `errors` does not import the client: the start reads the account's folder before
the window needs any HTTP. The client in turn loads requests, urllib3 and TLS only for its first
request (`ApiClient.transport`), so an account that is open but not syncing has none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.lazy_names import names_from

if TYPE_CHECKING:
    from desktop_app.api.client import ApiClient
    from desktop_app.api.errors import (
        ApiError,
        AuthenticationError,
        BadPayloadError,
        CertificateError,
        InsecureConnectionError,
        OfflineError,
        ProblemError,
        ServerError,
        SessionExpiredError,
    )
    from desktop_app.api.tokens import Tokens, TokenStore
    from desktop_app.api.transport_config import TransportConfig

_HOMES = {
    "ApiClient": ".client",
    "ApiError": ".errors",
    "AuthenticationError": ".errors",
    "BadPayloadError": ".errors",
    "CertificateError": ".errors",
    "InsecureConnectionError": ".errors",
    "OfflineError": ".errors",
    "ProblemError": ".errors",
    "ServerError": ".errors",
    "SessionExpiredError": ".errors",
    "TokenStore": ".tokens",
    "Tokens": ".tokens",
    "TransportConfig": ".transport_config",
}
__all__ = [
    "ApiClient",
    "ApiError",
    "AuthenticationError",
    "BadPayloadError",
    "CertificateError",
    "InsecureConnectionError",
    "OfflineError",
    "ProblemError",
    "ServerError",
    "SessionExpiredError",
    "TokenStore",
    "Tokens",
    "TransportConfig",
]


__getattr__ = names_from(__name__, _HOMES)
