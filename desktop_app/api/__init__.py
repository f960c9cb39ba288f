"""HTTP client of the Rounds remote API: a transport and typed endpoint methods on top."""

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
from desktop_app.api.transport import TransportConfig

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
