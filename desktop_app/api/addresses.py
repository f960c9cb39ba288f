"""Which server addresses the client accepts: HTTPS anywhere, plain HTTP only on loopback."""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from desktop_app.api.errors import InsecureConnectionError
from desktop_app.text import translate

NOT_AN_ADDRESS = translate(
    "errors", "“{text}” is not a server address. Use the form https://learning.example.org."
)
PLAIN_HTTP = translate(
    "errors",
    "Refusing to connect to {host} over plain http://: passwords and progress would cross the "
    "network unencrypted. Use an https:// address (plain http is allowed only for a server on "
    "this computer).",
)
ELSEWHERE = translate(
    "errors", "The server pointed to another address ({address}); not following it."
)

LOOPBACK_NAMES = frozenset({"localhost"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback(host: str) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 — addresses that never leave this computer."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def checked_base_url(url: str) -> str:
    """The server's base URL in one spelling (see `normalised`), or an error saying why it
    is refused."""
    text = url.strip()
    parts = urlsplit(text)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme not in ("http", "https") or not host or not _port_readable(parts):
        raise InsecureConnectionError(NOT_AN_ADDRESS.format(text=text))
    if scheme == "http" and not is_loopback(host):
        raise InsecureConnectionError(PLAIN_HTTP.format(host=host))
    return normalised(parts)


def _port_readable(parts: SplitResult) -> bool:
    try:
        parts.port  # noqa: B018 (urllib checks the port when it is read)
    except ValueError:
        return False
    return True


def normalised(parts: SplitResult) -> str:
    """One spelling per server: scheme and host in lower case, no default port, no trailing
    slash, no query, so two devices typing the address differently reach one account."""
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    return urlunsplit((scheme, host, parts.path.rstrip("/"), "", ""))


def same_origin_url(base_url: str, reference: str) -> str:
    """Resolve a server-given (relative) link; refuse one that points at another server."""
    resolved = urljoin(base_url + "/", reference)
    base, target = urlsplit(base_url), urlsplit(resolved)
    if (base.scheme, base.netloc) != (target.scheme, target.netloc):
        raise InsecureConnectionError(ELSEWHERE.format(address=target.netloc))
    return resolved
