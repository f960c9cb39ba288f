"""Turning HTTP failures — error statuses and network exceptions — into typed API errors."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import HTTPError, ReadTimeoutError

from desktop_app.api.errors import (
    ApiError,
    AuthenticationError,
    BadPayloadError,
    CaptivePortalError,
    CertificateError,
    OfflineError,
    ProblemError,
    RateLimitedError,
    ServerError,
)
from desktop_app.api.proxies import proxy_address
from desktop_app.text import translate

NOT_ACCEPTED = translate("errors", "The server did not accept the sign-in.")
ANOTHER_ADDRESS = translate("errors", "another address")
REDIRECTED = translate(
    "errors",
    "The network redirected the request to {where}. If this network needs a sign-in through a "
    "web page first, complete it and try again.",
)
PROXY_FAILED = translate("errors", "Could not reach {host} through the proxy server: {reason}.")
PROXY_SIGN_IN = translate(
    "errors",
    "The proxy {proxy} asks for a user name and password before it lets Rounds through. Ask IT "
    "to let Rounds through it, or for a user name and password to put in the proxy address in "
    "File → Settings…, under Proxy (http://user:password@host:port).",
)
PROXY_SIGN_IN_REFUSED = translate(
    "errors",
    "The proxy {proxy} did not accept the user name and password in the proxy setting. Ask IT "
    "for the right ones, or to let Rounds through the proxy without them.",
)
A_PROXY = translate("errors", "of this network")
TOO_SLOW = translate("errors", "The server at {host} did not answer in time.")
UNREACHABLE = translate("errors", "Could not reach the server at {host}: {reason}.")
BROKE_OFF = translate("errors", "The connection to {host} broke off during the transfer.")
NOT_DECOMPRESSED = translate("errors", "a reply that could not be decompressed")
REQUEST_FAILED = translate("errors", "The request to {host} failed: {reason}.")
NO_SECURE_CONNECTION = translate(
    "errors", "A secure connection to {host} could not be set up: {reason}."
)
CERTIFICATE_EXPIRED = translate(
    "errors",
    "The certificate of {host} has expired, so the connection is not safe. If this computer's "
    "date is right, the server's certificate must be renewed: tell IT.",
)
CERTIFICATE_OTHER_NAME = translate(
    "errors",
    "The certificate presented by {host} is for another server name, so the connection is not "
    "safe. Check the server address; if it is right, tell IT.",
)
CERTIFICATE_UNTRUSTED = translate(
    "errors",
    "The certificate of {host} is not trusted by this computer. If your organisation inspects "
    "secure traffic, ask IT for its CA certificate and choose it in File → Settings…, under "
    "Extra CA certificates (ca_bundle).",
)
CERTIFICATE_UNVERIFIED = translate(
    "errors", "The certificate of {host} could not be verified: {reason}."
)
CA_BUNDLE_NO_PEM = translate("errors", "it holds no certificate in PEM format")
CA_BUNDLE_UNUSABLE = translate(
    "errors",
    "The extra CA certificates chosen in File → Settings… (ca_bundle: {path}) could not be "
    "used: {reason}. Choose another file or clear that setting.",
)
DNS_FAILED = translate("errors", "the server name could not be found (DNS)")
REFUSED = translate("errors", "the connection was refused (is the server running?)")
NETWORK_UNREACHABLE = translate("errors", "the network is unreachable")
CLOSED_BY_PEER = translate("errors", "the connection was closed by the other side")

PROBLEM_TYPE_BLANK = "about:blank"
WEB_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def problem_fields(response: requests.Response) -> tuple[str, str, str]:
    """(type, title, detail) of an RFC 9457 body, or blanks if the body is something else."""
    body = json_object(response)
    if body is None:
        return PROBLEM_TYPE_BLANK, response.reason or "", ""
    return (
        _text(body.get("type")) or PROBLEM_TYPE_BLANK,
        _text(body.get("title")) or response.reason or "",
        _text(body.get("detail")),
    )


def error_for_status(response: requests.Response) -> ApiError:
    """The typed error for a response whose status is 300 or above."""
    status = response.status_code
    type_, title, detail = problem_fields(response)
    if status == 401:
        return AuthenticationError(detail or title or NOT_ACCEPTED.format())
    if status == 407:  # plain http through a proxy; over https it is `asks_for_sign_in`
        return proxy_sign_in_error("")
    if status >= 500:
        return ServerError(status, title, detail)
    if status < 400:
        where = response.headers.get("Location", ANOTHER_ADDRESS)
        return ApiError(REDIRECTED.format(where=where))
    if status == 429:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        return RateLimitedError(type_, title, detail, wait)
    return ProblemError(status, type_, title, detail)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date); None if absent."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _is_web_page(response: requests.Response) -> bool:
    """A successful reply that is an HTML page: what a captive portal sends in place of any
    reply, since it answers every request with its sign-in page."""
    media_type = response.headers.get("Content-Type", "").partition(";")[0]
    return 200 <= response.status_code < 300 and media_type.strip().lower() in WEB_PAGE_TYPES


def refuse_web_page(response: requests.Response, host: str) -> None:
    """CaptivePortalError, the reply closed unread, if `response` is a web page."""
    if _is_web_page(response):
        response.close()
        raise CaptivePortalError(host)


def error_for_exception(error: requests.RequestException, host: str, proxy: str = "") -> ApiError:
    """The typed error for a request that got no HTTP answer at all; `proxy` is the URL of
    the proxy it went through, if any."""
    if isinstance(error, requests.exceptions.SSLError):
        return _certificate_error(error, host)
    if asks_for_sign_in(error):
        return proxy_sign_in_error(proxy)
    if isinstance(error, requests.exceptions.ProxyError):
        return OfflineError(PROXY_FAILED.format(host=host, reason=_root(error)))
    if isinstance(error, requests.exceptions.Timeout) or find_cause(error, ReadTimeoutError):
        return OfflineError(TOO_SLOW.format(host=host))
    if isinstance(error, requests.exceptions.ConnectionError | requests.exceptions.RetryError):
        return OfflineError(UNREACHABLE.format(host=host, reason=_root(error)))
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return OfflineError(BROKE_OFF.format(host=host))
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return BadPayloadError(NOT_DECOMPRESSED)
    return ApiError(REQUEST_FAILED.format(host=host, reason=_root(error)))


def unanswered(error: BaseException) -> bool:
    """Whether requests gave up on a request (the transport turns those into `ApiError`s)."""
    return isinstance(error, requests.RequestException)


def transfer_broke(error: BaseException) -> bool:
    """Whether a body stopped arriving because its connection did: requests' and urllib3's
    errors come out of a stream as they are (`deadline.TimedStream`), a peer's as the socket's."""
    return isinstance(error, requests.RequestException | HTTPError | ConnectionError)


def asks_for_sign_in(error: BaseException) -> bool:
    """Whether a proxy refused to open a tunnel (CONNECT) until it is given a sign-in."""
    text = str(error).lower()
    return isinstance(error, requests.exceptions.ProxyError) and "connection failed: 407" in text


def proxy_sign_in_error(proxy_url: str) -> OfflineError:
    """A proxy answered 407: it wants a sign-in, or refused the one in its URL. The message
    names it by host and port only."""
    named = proxy_address(proxy_url) if proxy_url else A_PROXY.format()
    offered = bool(proxy_url) and bool(urlsplit(proxy_url).username)
    return OfflineError((PROXY_SIGN_IN_REFUSED if offered else PROXY_SIGN_IN).format(proxy=named))


def _certificate_error(error: requests.exceptions.SSLError, host: str) -> ApiError:
    refusal = find_cause(error, ssl.SSLCertVerificationError)
    if isinstance(refusal, ssl.SSLCertVerificationError):
        return _refused_certificate(refusal, host)
    return CertificateError(NO_SECURE_CONNECTION.format(host=host, reason=_root(error)))


# Verification codes by cause: OpenSSL's (X509_V_ERR_*, Linux), then the ones truststore
# passes on from Windows (CERT_E_*) and macOS (errSec*). Matched by number, not by wording.
_EXPIRED = frozenset({10, 0x800B0101, -67818})
_OTHER_NAME = frozenset({62, 64, 0x800B010F, -67602})
_UNTRUSTED = frozenset({2, 18, 19, 20, 21, 0x800B0109, 0x800B010A, -67843})


def _refused_certificate(refusal: ssl.SSLCertVerificationError, host: str) -> CertificateError:
    code = refusal.verify_code
    if code in _EXPIRED:
        return CertificateError(CERTIFICATE_EXPIRED.format(host=host))
    if code in _OTHER_NAME:
        return CertificateError(CERTIFICATE_OTHER_NAME.format(host=host))
    if code in _UNTRUSTED:
        return CertificateError(CERTIFICATE_UNTRUSTED.format(host=host))
    reason = refusal.verify_message or _root(refusal)
    return CertificateError(CERTIFICATE_UNVERIFIED.format(host=host, reason=reason))


def ca_bundle_error(path: str, error: OSError) -> CertificateError:
    """The CA bundle setting names a file that is missing, unreadable or holds no certificate."""
    if isinstance(error, ssl.SSLError):
        reason: str = CA_BUNDLE_NO_PEM
    else:
        reason = (error.strerror or type(error).__name__).lower()
    return CertificateError(CA_BUNDLE_UNUSABLE.format(path=path, reason=reason))


def _root(error: BaseException) -> str:
    """The innermost cause, in words: 'connection refused', 'name not resolved', …"""
    text = str(error).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return DNS_FAILED
    if "failed to resolve" in text or "getaddrinfo failed" in text:
        return DNS_FAILED
    if "connection refused" in text or "actively refused" in text:
        return REFUSED
    if "network is unreachable" in text or "no route to host" in text:
        return NETWORK_UNREACHABLE
    if "connection reset" in text or "remote end closed" in text:
        return CLOSED_BY_PEER
    return type(_innermost(error)).__name__


def _innermost(error: BaseException) -> BaseException:
    seen: set[int] = set()
    while id(error) not in seen:
        seen.add(id(error))
        nested = error.__cause__ or error.__context__ or _first_arg_exception(error)
        if nested is None:
            break
        error = nested
    return error


def _first_arg_exception(error: BaseException) -> BaseException | None:
    inner = getattr(error, "reason", None) or (error.args[0] if error.args else None)
    return inner if isinstance(inner, BaseException) else None


def find_cause(
    error: BaseException, wanted: type[BaseException] | tuple[type[BaseException], ...]
) -> BaseException | None:
    """The first of `error`'s causes (itself included) that is one of `wanted`: its chained
    exceptions, and the exception a library wrapped in `reason` or its first argument."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, wanted):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__ or _first_arg_exception(current)
    return None


def json_object(response: requests.Response) -> dict[str, Any] | None:
    """The reply's JSON object, or None when its body is none (an HTML page from a proxy, say)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
