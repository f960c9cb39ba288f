"""The HTTP transport: one requests.Session with timeouts, TLS, retries, auth and error mapping.

- TLS is always verified, against the operating system's trust store (through `truststore`)
  plus an optional extra CA bundle — what a hospital's TLS-inspecting proxy needs.
- Proxies come from the proxy setting, a proxy auto-config file or the system's settings
  (`desktop_app.api.proxies`), except for a server on this computer: a proxy in front of it
  would receive its plain-http traffic, passwords included. A proxy that asks for a sign-in
  (407) is named in the error.
- Plain http:// is refused unless the server is on this computer.
- Idempotent methods are retried with exponential backoff and jitter on connection failures
  and on 429/502/503/504, honouring Retry-After (capped). A POST is retried only when the
  caller says it is idempotent (check-ins and statements carry client-generated ids).
- The bearer token comes from an authenticator; a 401 renews it once and repeats the request.
- Every request has an overall deadline besides the per-read timeout (`desktop_app.api.deadline`):
  a reply dripped a byte at a time ends in a `DeadlineError` instead of hanging. A call that
  renews its token is one operation for the learner, so the call, the renewal and the repeated
  call share one deadline.
- A web page where JSON was expected, a captive portal's sign-in page, ends in a
  `CaptivePortalError` (offline until the learner signs in to the network).
- Any failure becomes a typed `ApiError` with a plain-words message.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import requests
import truststore
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies, select_proxy
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from desktop_app.api.addresses import checked_base_url, is_loopback, same_origin_url
from desktop_app.api.deadline import Deadline, ShrinkingTimeout, load_body
from desktop_app.api.errors import NOT_SIGNED_IN, ApiError, BadPayloadError, SessionExpiredError
from desktop_app.api.failures import (
    asks_for_sign_in,
    ca_bundle_error,
    error_for_exception,
    error_for_status,
)
from desktop_app.api.proxies import DIRECT, ProxyRouter, ProxySettings, is_socks
from desktop_app.api.socks_refusals import socks_connect_failed, socks_error
from desktop_app.api.transport_config import TransportConfig as TransportConfig  # re-exported

if TYPE_CHECKING:
    from requests.adapters import _HostParams, _PoolKwargs
    from requests.sessions import _Cert, _Settings, _TextMapping, _Verify

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
USER_AGENT = "Rounds/0.1 (desktop learning client)"


class Authenticator(Protocol):
    """Where the transport gets bearer tokens (see `desktop_app.api.tokens.TokenAuth`); a
    renewal asked for during a request ends by that request's deadline."""

    def access_token(self, deadline: Deadline | None = None) -> str | None: ...

    def renew(self, rejected: str, deadline: Deadline | None = None) -> str: ...


class CappedRetry(Retry):
    """urllib3 Retry that never waits longer than `max_retry_after` for a Retry-After, and
    neither waits nor tries again past the request's deadline."""

    def __init__(
        self,
        *args: Any,
        max_retry_after: float = 60.0,
        deadline: Deadline | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_retry_after = max_retry_after
        self.deadline = deadline

    def new(self, **kw: Any) -> CappedRetry:
        kw.setdefault("max_retry_after", self.max_retry_after)
        kw.setdefault("deadline", self.deadline)
        renewed = super().new(**kw)
        assert isinstance(renewed, CappedRetry)
        return renewed

    def is_exhausted(self) -> bool:
        return super().is_exhausted() or self._left() <= 0

    def increment(self, *args: Any, **kwargs: Any) -> CappedRetry:
        """A proxy that asks for a sign-in asks again however often it is tried."""
        error = kwargs.get("error", args[3] if len(args) > 3 else None)
        if error is not None and "connection failed: 407" in str(error).lower():
            pool: Any = kwargs.get("_pool")
            raise MaxRetryError(pool, kwargs.get("url"), error) from error
        renewed = super().increment(*args, **kwargs)
        assert isinstance(renewed, CappedRetry)
        return renewed

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.max_retry_after, self._left())

    def get_backoff_time(self) -> float:
        return max(min(super().get_backoff_time(), self._left()), 0.0)

    def _left(self) -> float:
        return float("inf") if self.deadline is None else self.deadline.remaining()


def build_retry(config: TransportConfig, methods: frozenset[str]) -> CappedRetry:
    return CappedRetry(
        total=config.retries,
        connect=config.connect_retries,
        backoff_factor=config.backoff_factor,
        backoff_jitter=config.backoff_jitter,
        backoff_max=config.backoff_max,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=methods,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
        max_retry_after=config.max_retry_after,
    )


def build_ssl_context(ca_bundle: str = "") -> ssl.SSLContext:
    """The OS trust store, plus the certificates in `ca_bundle` if one is set."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle:
        _load_ca_bundle(context, ca_bundle)
    return context


def _load_ca_bundle(context: ssl.SSLContext, path: str) -> None:
    """A bad bundle stops here, naming the setting, rather than surfacing as a file error."""
    try:
        context.load_verify_locations(cafile=path)
    except OSError as error:
        raise ca_bundle_error(path, error) from error


class TrustingAdapter(HTTPAdapter):
    """Verifies TLS with one shared context and lets a request opt in to POST retries."""

    def __init__(self, context: ssl.SSLContext, retry: Retry, post_retry: Retry) -> None:
        self.context = context
        self._post_retry = post_retry
        self._local = threading.local()
        super().__init__(max_retries=retry, pool_maxsize=8)

    @property
    def max_retries(self) -> Retry:
        retry = self._default_retry
        if getattr(self._local, "idempotent_post", False):
            retry = self._post_retry
        deadline = getattr(self._local, "deadline", None)
        return retry if deadline is None else retry.new(deadline=deadline)

    @max_retries.setter
    def max_retries(self, value: Retry) -> None:
        self._default_retry = value

    @contextmanager
    def within(self, deadline: Deadline) -> Iterator[None]:
        """Within this block, on this thread, retries stop at `deadline`."""
        self._local.deadline = deadline
        try:
            yield
        finally:
            self._local.deadline = None

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Within a deadline, urllib3 is given timeouts that shrink as the deadline nears: the
        ones requests passes would be fixed for every retry, whenever it starts."""
        deadline = getattr(self._local, "deadline", None)
        if deadline is not None and isinstance(timeout, tuple) and timeout[0] is not None:
            shrinking: Any = ShrinkingTimeout(timeout[0], deadline)
            timeout = shrinking
        return super().send(request, stream, timeout, verify, cert, proxies)

    @contextmanager
    def retrying_posts(self) -> Iterator[None]:
        """Within this block, on this thread, POSTs are retried like GETs."""
        self._local.idempotent_post = True
        try:
            yield
        finally:
            self._local.idempotent_post = False

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[_HostParams, _PoolKwargs]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        pool_kwargs.pop("ca_certs", None)
        pool_kwargs.pop("ca_cert_dir", None)
        pool_kwargs["cert_reqs"] = "CERT_REQUIRED"
        pool_kwargs["ssl_context"] = self.context
        return host_params, pool_kwargs


class DirectLoopbackSession(requests.Session):
    """A requests.Session that never sends a request for this computer through a proxy;
    other requests go through the proxy `desktop_app.api.proxies` chooses, and on to the next
    one a proxy auto-config file names when one cannot be reached."""

    def __init__(
        self, proxy_url: str = "", pac_url: str = "", context: ssl.SSLContext | None = None
    ) -> None:
        super().__init__()
        self.router = ProxyRouter(ProxySettings(proxy_url, pac_url), context)

    def merge_environment_settings(
        self,
        url: str | bytes | None,
        proxies: _TextMapping | None,
        stream: bool | None,
        verify: _Verify | None,
        cert: _Cert | None,
    ) -> _Settings:
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if isinstance(url, str) and is_loopback(urlsplit(url).hostname or ""):
            settings["proxies"] = {}
        elif isinstance(url, str):
            chosen = self.router.proxies_for(url)
            if chosen is not None:
                settings["proxies"] = chosen
        return settings

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        while True:
            try:
                return super().request(method, url, *args, **kwargs)
            except requests.exceptions.ConnectionError as error:
                if not self._proxy_failed(error, str(url)) or not self.router.fail_over(str(url)):
                    raise

    def _proxy_failed(self, error: requests.exceptions.ConnectionError, url: str) -> bool:
        """Whether the proxy chosen for `url` failed to open the way: an http proxy's
        ProxyError (but a sign-in it asks for), a SOCKS proxy's failure to connect."""
        if isinstance(error, requests.exceptions.ProxyError):
            return not asks_for_sign_in(error)
        if is_loopback(urlsplit(url).hostname or "") or not socks_connect_failed(error):
            return False
        return is_socks(self.router.proxy_for(url) or "")

    def proxy_for(self, url: str) -> str:
        """The URL of the proxy a request to `url` goes through, or "" for none."""
        if is_loopback(urlsplit(url).hostname or ""):
            return ""
        chosen = self.router.proxy_for(url)
        if chosen is None:
            chosen = select_proxy(url, get_environ_proxies(url)) or DIRECT
        return "" if chosen == DIRECT else chosen


class Transport:
    """Sends requests to one server; see the module docstring for what it takes care of."""

    def __init__(
        self,
        base_url: str,
        config: TransportConfig | None = None,
        auth: Authenticator | None = None,
    ) -> None:
        self.base_url = checked_base_url(base_url)
        self.config = config or TransportConfig()
        self.auth = auth
        self.host = urlsplit(self.base_url).netloc
        self._adapter = TrustingAdapter(
            build_ssl_context(self.config.ca_bundle),
            build_retry(self.config, IDEMPOTENT_METHODS),
            build_retry(self.config, IDEMPOTENT_METHODS | {"POST"}),
        )
        self._session = self._build_session()

    def _build_session(self) -> DirectLoopbackSession:
        session = DirectLoopbackSession(
            self.config.proxy_url, self.config.proxy_pac_url, self._adapter.context
        )
        session.trust_env = True
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept"] = "application/json, application/problem+json"
        session.mount("https://", self._adapter)
        session.mount("http://", self._adapter)
        return session

    def close(self) -> None:
        self._session.close()

    def url_for(self, path_or_link: str) -> str:
        return same_origin_url(self.base_url, path_or_link)

    def deadline(self) -> Deadline:
        """When a request sent now must be over."""
        return Deadline.starting_now(self.host, self.config.deadline, self.config.read_timeout)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
        idempotent: bool = False,
        stream: bool = False,
        deadline: Deadline | None = None,
    ) -> requests.Response:
        """Send one request; returns a response with a status below 300 or raises ApiError.

        The body is read before this returns, within the deadline, unless `stream` is set.
        `deadline` is the one of an operation this request is part of (a token renewal's).
        """
        call = _Call(
            method.upper(),
            self.url_for(path),
            params,
            json,
            dict(headers or {}),
            stream,
            idempotent,
            deadline or self.deadline(),
        )
        response = self._send_authorised(call) if authenticated else self._send(call, None)
        if response.status_code >= 300 and response.status_code != 304:
            error = error_for_status(response)
            response.close()
            if authenticated and response.status_code == 401:
                raise SessionExpiredError(error.message) from error
            raise error
        return response

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like `request`, and the body decoded as JSON (BadPayloadError if it is not)."""
        response = self.request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as error:
            what = f"the reply to {method} {urlsplit(response.url).path} is not valid JSON"
            raise BadPayloadError(what) from error

    def _send_authorised(self, call: _Call) -> requests.Response:
        if self.auth is None:
            raise SessionExpiredError(NOT_SIGNED_IN)
        token = self.auth.access_token(call.deadline)
        if token is None:
            raise SessionExpiredError(NOT_SIGNED_IN)
        response = self._send(call, token)
        if response.status_code == 401:
            response.close()
            response = self._send(call, self.auth.renew(token, call.deadline))
        return response

    def _send(self, call: _Call, token: str | None) -> requests.Response:
        headers = dict(call.headers)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        started = time.monotonic()
        try:
            with self._adapter.within(call.deadline), self._retry_scope(call):
                response = self._session.request(
                    call.method,
                    call.url,
                    params=call.params,
                    json=call.json,
                    headers=headers,
                    timeout=call.deadline.timeouts(self.config.connect_timeout),
                    allow_redirects=False,
                    stream=True,
                )
        except requests.RequestException as error:
            log.info("%s %s failed: %s", call.method, call.path, type(error).__name__)
            proxy = self._session.proxy_for(call.url)
            raise failure(error, call.deadline, proxy) from error
        elapsed = time.monotonic() - started
        log.debug("%s %s -> %s in %.3f s", call.method, call.path, response.status_code, elapsed)
        if call.stream and response.status_code < 300:
            return response
        return load_body(response, call.deadline)

    @contextmanager
    def _retry_scope(self, call: _Call) -> Iterator[None]:
        if call.method == "POST" and call.idempotent:
            with self._adapter.retrying_posts():
                yield
        else:
            yield


@dataclass(frozen=True, slots=True)
class _Call:
    """One request as the caller asked for it, re-sendable after a token renewal."""

    method: str
    url: str
    params: Mapping[str, str | int] | None
    json: Any
    headers: dict[str, str]
    stream: bool
    idempotent: bool
    deadline: Deadline

    @property
    def path(self) -> str:
        """The path only: query strings may carry personal data and stay out of logs."""
        return urlsplit(self.url).path


def failure(error: requests.RequestException, deadline: Deadline, proxy: str = "") -> ApiError:
    """The typed error for a request that got no answer: the deadline's, once it has passed.
    `proxy`: the address of the proxy it went through, if any."""
    if deadline.remaining() <= 0:
        return deadline.error()
    if is_socks(proxy) and socks_connect_failed(error):
        return socks_error(error, deadline.host, proxy)
    return error_for_exception(error, deadline.host, proxy)
