"""A SOCKS proxy that could not be reached, or would not open the way, told in one sentence
that names it.

urllib3 reports every failure of a SOCKS proxy as a failure to connect (NewConnectionError),
not as a proxy's (ProxyError); the PySocks error inside says what happened: the proxy was not
there, its rules refused, it could not reach the server, or it wants a sign-in.
"""

from __future__ import annotations

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from desktop_app.api.errors import OfflineError
from desktop_app.api.failures import find_cause
from desktop_app.api.proxies import proxy_address
from desktop_app.text import translate

SOCKS_UNREACHABLE = translate(
    "errors", "The SOCKS proxy {proxy} could not be reached, so Rounds cannot reach {host}."
)
SOCKS_REFUSED = translate(
    "errors", "The SOCKS proxy {proxy} did not let Rounds through to {host}: {reason}."
)
NOT_ALLOWED = translate("errors", "its rules do not allow it; ask IT to let Rounds through")
SERVER_UNREACHABLE = translate("errors", "the proxy could not reach the server")
ASKS_SIGN_IN = translate(
    "errors",
    "it asks for a user name and password; ask IT for them and put them in the proxy address "
    "in File → Settings…, under Proxy (socks5h://user:password@host:port)",
)
SIGN_IN_REFUSED = translate(
    "errors", "it did not accept the user name and password in the proxy setting"
)
NOT_SOCKS = translate("errors", "its answer was not that of a SOCKS proxy")

# SOCKS5 reply codes (RFC 1928) 0x02 and SOCKS4's 0x5b are the proxy's rules refusing; the
# others (general failure, network or host unreachable, connection refused, …) the way on.
_REFUSED_BY_RULES = frozenset({"0x02", "0x5b"})


def socks_connect_failed(error: BaseException) -> bool:
    """Whether `error` came from opening a connection (through a proxy or not), before
    anything was sent."""
    return find_cause(error, (NewConnectionError, ConnectTimeoutError)) is not None or isinstance(
        error, requests.exceptions.ConnectTimeout
    )


def socks_error(error: BaseException, host: str, proxy_url: str) -> OfflineError:
    """The error for a request whose connection through the SOCKS proxy `proxy_url` failed."""
    import socks

    proxy = proxy_address(proxy_url)
    found = find_cause(error, (socks.ProxyError,))
    wrapped = getattr(found, "socket_err", None)  # PySocks wraps a refusal in "Socket error"
    found = wrapped if isinstance(wrapped, socks.ProxyError) else found
    if found is None or isinstance(found, socks.ProxyConnectionError):
        return OfflineError(SOCKS_UNREACHABLE.format(proxy=proxy, host=host))
    code = str(found).partition(":")[0].lower()
    if isinstance(found, socks.SOCKS5AuthError):
        offered = "@" in proxy_url.partition("://")[2]
        reason = SIGN_IN_REFUSED if offered else ASKS_SIGN_IN
    elif isinstance(found, socks.SOCKS5Error | socks.SOCKS4Error):
        reason = NOT_ALLOWED if code in _REFUSED_BY_RULES else SERVER_UNREACHABLE
    else:
        reason = NOT_SOCKS
    return OfflineError(SOCKS_REFUSED.format(proxy=proxy, host=host, reason=reason))
