"""Which server addresses the client accepts: HTTPS anywhere, plain HTTP only on loopback."""

from __future__ import annotations

import ipaddress
from urllib.parse import urljoin, urlsplit

from desktop_app.api.errors import InsecureConnectionError

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 — addresses that never leave this computer."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def checked_base_url(url: str) -> str:
    """The server's base URL without a trailing slash, or an error saying why it is refused."""
    text = url.strip()
    parts = urlsplit(text)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme not in ("http", "https") or not host:
        raise InsecureConnectionError(
            f"“{text}” is not a server address. Use the form https://learning.example.org."
        )
    if scheme == "http" and not is_loopback(host):
        raise InsecureConnectionError(
            f"Refusing to connect to {host} over plain http://: passwords and progress would "
            "cross the network unencrypted. Use an https:// address (plain http is allowed "
            "only for a server on this computer)."
        )
    return text.rstrip("/")


def same_origin_url(base_url: str, reference: str) -> str:
    """Resolve a server-given (relative) link; refuse one that points at another server."""
    resolved = urljoin(base_url + "/", reference)
    base, target = urlsplit(base_url), urlsplit(resolved)
    if (base.scheme, base.netloc) != (target.scheme, target.netloc):
        raise InsecureConnectionError(
            f"The server pointed to another address ({target.netloc}); not following it."
        )
    return resolved
