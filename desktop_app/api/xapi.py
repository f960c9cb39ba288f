"""The xAPI statements resource: on the Rounds server, or on any conformant Learning Record Store.

The Rounds server keeps statements at `<server>/xapi/statements` and takes the session's bearer
token; an organisation's own LRS takes HTTP Basic. Either way a `StatementsEndpoint` sends the
exact bytes of the stored statements, always with `X-Experience-API-Version: 1.0.3`, under the
transport's TLS rules (OS trust store plus the optional CA bundle; plain http only on this
computer) and within its overall deadline.

POST is never retried here: the outbox decides, from the `PostReply`, whether to wait, split
or quarantine. GETs are retried by the adapter like every other idempotent request.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from desktop_app.api.addresses import checked_base_url, same_origin_url
from desktop_app.api.client import ApiClient
from desktop_app.api.deadline import Deadline, load_body
from desktop_app.api.errors import (
    NOT_SIGNED_IN,
    AuthenticationError,
    BadPayloadError,
    SessionExpiredError,
)
from desktop_app.api.failures import error_for_status, json_object, retry_after_seconds
from desktop_app.api.payloads import StatementPage, parse_statement_ids, parse_statement_page
from desktop_app.api.shape import rfc3339
from desktop_app.api.transport import (
    IDEMPOTENT_METHODS,
    USER_AGENT,
    Authenticator,
    DirectLoopbackSession,
    TrustingAdapter,
    build_retry,
    build_ssl_context,
    failure,
)
from desktop_app.api.transport_config import TransportConfig
from desktop_app.text import translate

log = logging.getLogger(__name__)

LRS_REFUSED = translate(
    "errors", "The learning record store did not accept the user name and password set for it."
)
NO_LONGER_ACCEPTED = translate("errors", "{host} no longer accepts this sign-in.")

XAPI_VERSION = "1.0.3"
ROUNDS_XAPI_PATH = "/xapi"
REASON_LIMIT = 300
STATUS_LINE_LIMIT = 60  # a reason read from the status line alone, when the reply has no JSON


class Credential(Protocol):
    """What goes into the Authorization header, and what to do when it is refused; a renewal
    ends by the deadline of the request it is for."""

    def header(self, deadline: Deadline) -> str: ...

    def renewed(self, rejected: str, deadline: Deadline) -> str: ...


@dataclass(frozen=True)
class BasicCredential:
    """HTTP Basic: a user name (or API key) and a password (or secret)."""

    username: str
    password: str = field(repr=False)

    def header(self, deadline: Deadline) -> str:
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def renewed(self, rejected: str, deadline: Deadline) -> str:
        raise AuthenticationError(LRS_REFUSED)


class BearerCredential:
    """The signed-in session's bearer token, renewed once when the server rejects it."""

    def __init__(self, auth: Authenticator) -> None:
        self._auth = auth

    def header(self, deadline: Deadline) -> str:
        token = self._auth.access_token(deadline)
        if token is None:
            raise SessionExpiredError(NOT_SIGNED_IN)
        return f"Bearer {token}"

    def renewed(self, rejected: str, deadline: Deadline) -> str:
        return "Bearer " + self._auth.renew(rejected.removeprefix("Bearer "), deadline)


@dataclass(frozen=True)
class PostReply:
    """The answer to one POST of statements: ids when stored, else why not.

    `in_xapi_terms` says the error came with a JSON object (problem+json, or an LRS's own
    message). Only such a reply speaks for the server: an HTML page from a proxy or firewall on
    the way says nothing about the statements, so it never refuses them.
    """

    status: int
    ids: tuple[str, ...] = ()
    reason: str = ""
    retry_after: float | None = None
    in_xapi_terms: bool = False

    @property
    def stored(self) -> bool:
        return 200 <= self.status < 300

    @property
    def too_large(self) -> bool:
        """The request was too big (from the server or a proxy): smaller batches may pass."""
        return self.status == 413

    @property
    def refused(self) -> bool:
        """The server itself refused the statements (the outbox splits and quarantines)."""
        return self.status in REFUSALS and self.in_xapi_terms and not self.too_large

    @property
    def busy(self) -> bool:
        """Worth repeating later: overloaded, failed for now, or answered by a middlebox."""
        return not (self.stored or self.refused or self.too_large)


REFUSALS = frozenset({400, 409, 413, 422})
"""Statuses that refuse the statements themselves, when the server says so in JSON."""


class StatementsEndpoint:
    """One xAPI statements resource, `<base>/statements`, on its own requests.Session."""

    def __init__(
        self, base_url: str, credential: Credential, config: TransportConfig | None = None
    ) -> None:
        self.base_url = checked_base_url(base_url)
        self.statements_url = self.base_url + "/statements"
        self.host = urlsplit(self.base_url).netloc
        self.config = config or TransportConfig()
        self._credential = credential
        retry = build_retry(self.config, IDEMPOTENT_METHODS)
        self._adapter = TrustingAdapter(build_ssl_context(self.config.ca_bundle), retry, retry)
        self._session = _build_session(self._adapter, self.config)
        self._finish: Deadline | None = None  # set by `finish_by`

    def finish_by(self, seconds: float) -> None:
        """No request from now on goes past `seconds` from now, however many are made (a
        bounded wait, such as sign-out's); one asked for after that fails without being sent."""
        self._finish = Deadline.starting_now(self.host, seconds, self.config.read_timeout)

    def close(self) -> None:
        self._session.close()

    def post(self, body: bytes) -> PostReply:
        """POST a JSON array of statements, sent byte for byte as given."""
        headers = {"Content-Type": "application/json"}
        response = self._send("POST", self.statements_url, data=body, headers=headers)
        try:
            return _post_reply(response)
        finally:
            response.close()

    def first_page(
        self, agent: Mapping[str, Any], since: datetime | None, limit: int
    ) -> StatementPage:
        """The agent's statements stored after `since`, oldest first."""
        params = {"agent": _agent_json(agent), "ascending": "true", "limit": str(limit)}
        if since is not None:
            params["since"] = rfc3339(since)
        return self._page(self.statements_url + "?" + urlencode(params))

    def query_page(
        self, agent: Mapping[str, Any], filters: Mapping[str, str], limit: int
    ) -> StatementPage:
        """The agent's statements that meet `filters` (xAPI query parameters such as
        `registration` or `activity`), from the first (no `since`), oldest first."""
        params = {"agent": _agent_json(agent), **filters, "ascending": "true", "limit": str(limit)}
        return self._page(self.statements_url + "?" + urlencode(params))

    def next_page(self, more: str, agent: Mapping[str, Any]) -> StatementPage:
        """The page a `more` link points to (on this LRS only)."""
        return self._page(repaired_more_link(same_origin_url(self.base_url, more), agent))

    def _page(self, url: str) -> StatementPage:
        response = self._send("GET", url)
        try:
            if response.status_code >= 300:
                raise error_for_status(response)
            return parse_statement_page(_json(response))
        finally:
            response.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request, and with a renewed sign-in once more, within one deadline."""
        deadline = Deadline.starting_now(self.host, self.config.deadline, self.config.read_timeout)
        if self._finish is not None and self._finish.ends < deadline.ends:
            deadline = self._finish
            deadline.check()
        header = self._credential.header(deadline)
        response = self._request(method, url, header, deadline, **kwargs)
        if response.status_code == 401:
            response.close()
            renewed = self._credential.renewed(header, deadline)
            response = self._request(method, url, renewed, deadline, **kwargs)
            if response.status_code == 401:
                response.close()
                raise SessionExpiredError(NO_LONGER_ACCEPTED.format(host=self.host))
        return response

    def _request(
        self,
        method: str,
        url: str,
        authorization: str,
        deadline: Deadline,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        all_headers = {**(headers or {}), "Authorization": authorization}
        timeout = deadline.timeouts(self.config.connect_timeout)
        try:
            with self._adapter.within(deadline):
                response = self._session.request(
                    method, url, data=data, headers=all_headers, allow_redirects=False,
                    stream=True, timeout=timeout,
                )  # fmt: skip
        except requests.RequestException as error:
            log.info("%s %s failed: %s", method, urlsplit(url).path, type(error).__name__)
            raise failure(error, deadline) from error
        return load_body(response, deadline)


def rounds_server_endpoint(api: ApiClient, base_url: str = "") -> StatementsEndpoint:
    """The Rounds server's own statements resource (or another xAPI base on the server, such
    as its LRS proxy), with the signed-in session's token."""
    auth = api.auth
    if auth is None:
        raise SessionExpiredError(NOT_SIGNED_IN)
    base = base_url or api.server_url + ROUNDS_XAPI_PATH
    return StatementsEndpoint(base, BearerCredential(auth), api.config)


def lrs_endpoint(
    base_url: str, username: str, password: str, transport: TransportConfig | None = None
) -> StatementsEndpoint:
    """A separate LRS reached with HTTP Basic."""
    return StatementsEndpoint(base_url, BasicCredential(username, password), transport)


def repaired_more_link(url: str, agent: Mapping[str, Any]) -> str:
    """`url`, with the agent we asked for put back if the LRS wrote it unreadably.

    Some LRSs (Learning Locker's statement service) write `agent=[object Object]` into their
    `more` links; following such a link as is would fail.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if all(name != "agent" or _isjson_object(value) for name, value in query):
        return url
    fixed = [(name, _agent_json(agent) if name == "agent" else value) for name, value in query]
    return urlunsplit(parts._replace(query=urlencode(fixed)))


def _isjson_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _build_session(adapter: TrustingAdapter, config: TransportConfig) -> requests.Session:
    session = DirectLoopbackSession(config.proxy_url, config.proxy_pac_url, adapter.context)
    session.trust_env = True
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = "application/json"
    session.headers["X-Experience-API-Version"] = XAPI_VERSION
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _post_reply(response: requests.Response) -> PostReply:
    status = response.status_code
    if 200 <= status < 300:
        return PostReply(status, tuple(i.lower() for i in parse_statement_ids(_json(response))))
    if status in REFUSALS or status == 429 or status >= 500:
        body = json_object(response)
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        reason = refusal_reason(response, body)
        return PostReply(status, (), reason, retry_after, in_xapi_terms=body is not None)
    raise error_for_status(response)


def refusal_reason(response: requests.Response, body: dict[str, Any] | None) -> str:
    """The server's own words from its JSON (problem detail, LRS message or warnings), short.

    Without a JSON object only the status line is used: the body of an HTML error page from
    a proxy (support ids, markup) is never kept or shown.
    """
    if body is None:
        words = f"HTTP {response.status_code} {response.reason or ''}".strip()
        return _shortened(words, STATUS_LINE_LIMIT)
    words = _reason_in(body) or response.reason or f"HTTP {response.status_code}"
    return _shortened(words, REASON_LIMIT)


def _shortened(words: str, limit: int) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _reason_in(body: dict[str, Any]) -> str:
    for key in ("detail", "message", "title"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    warnings = body.get("warnings")
    if isinstance(warnings, list):
        return "; ".join(str(item) for item in warnings)
    return ""


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise BadPayloadError(
            f"the reply of {urlsplit(response.url).netloc} is not JSON"
        ) from error


def _agent_json(agent: Mapping[str, Any]) -> str:
    return json.dumps(dict(agent), separators=(",", ":"), sort_keys=True)
