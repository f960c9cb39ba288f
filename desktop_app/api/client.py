"""Typed endpoint methods of the Rounds remote API, version 1 (docs/api.md).

Statements are not here: they go through `desktop_app.api.xapi`, the one client that speaks
to the Rounds server's xAPI resource and to a separate LRS alike. The feeds' documents
(`desktop_app.api.documents`) load with the first feed page: the window's sync runs in a child
process, so the window never parses one.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desktop_app.api.addresses import checked_base_url
from desktop_app.api.errors import WRONG_PASSWORD, AuthenticationError, BadPayloadError
from desktop_app.api.gc_pause import collector_paused
from desktop_app.api.payloads import (
    CheckinReceipt,
    FeedPage,
    ServerAbout,
    SignIn,
    parse_about,
    parse_checkin,
    parse_feed_page,
    parse_sign_in,
)
from desktop_app.api.shape import rfc3339
from desktop_app.api.tokens import TokenAuth, Tokens, TokenStore
from desktop_app.api.transport_config import TransportConfig

if TYPE_CHECKING:
    import requests

    from desktop_app.api.deadline import Deadline, TimedStream
    from desktop_app.api.documents import CourseDoc, ResidencyDoc
    from desktop_app.api.transport import Transport

_SHA256 = re.compile(r"[0-9a-f]{64}")
log = logging.getLogger(__name__)


class ApiClient:
    """One server. Signed-in calls take their tokens from `tokens` and renew them there;
    each renewal's reply (who the tokens are for, how statements name them) is given to
    `on_refreshed` before its tokens are used."""

    def __init__(
        self,
        server_url: str,
        *,
        tokens: TokenStore | None = None,
        config: TransportConfig | None = None,
        on_refreshed: Callable[[SignIn], None] | None = None,
    ) -> None:
        self.server_url = checked_base_url(server_url)
        self.config = config or TransportConfig()
        self.auth = None if tokens is None else TokenAuth(tokens, self._refreshed_tokens)
        self._tokens = tokens
        self._on_refreshed = on_refreshed
        self._transport: Transport | None = None
        self._building = threading.Lock()

    @property
    def transport(self) -> Transport:
        """The HTTP transport, built for the first request: requests, urllib3 and TLS load
        then, not when an account is opened (a window that is not syncing needs none of them).
        A bad extra CA bundle (`ca_bundle`) is reported here, by the first request."""
        with self._building:
            if self._transport is None:
                from desktop_app.api.transport import Transport

                self._transport = Transport(self.server_url, self.config, self.auth)
            return self._transport

    def close(self) -> None:
        with self._building:
            if self._transport is not None:
                self._transport.close()

    def about(self) -> ServerAbout:
        """The server's stable id and name (no sign-in needed)."""
        reply = self.transport.request_json("GET", "/api/v1/about", authenticated=False)
        return parse_about(reply)

    def sign_in(self, username: str, password: str) -> SignIn:
        """Exchange a username and password for a session; the tokens go to the token store."""
        try:
            reply = self.transport.request_json(
                "POST",
                "/api/v1/auth/token",
                json={"username": username, "password": password},
                authenticated=False,
            )
        except AuthenticationError as error:
            raise AuthenticationError(WRONG_PASSWORD) from error
        signed_in = parse_sign_in(reply)
        if self._tokens is not None:
            self._tokens.save(signed_in.tokens)
        return signed_in

    def refresh(self, refresh_token: str, deadline: Deadline | None = None) -> SignIn:
        """A new session from a refresh token (AuthenticationError if it was revoked), by
        `deadline` when the refresh is part of another request."""
        reply = self.transport.request_json(
            "POST",
            "/api/v1/auth/refresh",
            json={"refresh_token": refresh_token},
            authenticated=False,
            deadline=deadline,
        )
        return parse_sign_in(reply)

    def _refreshed_tokens(self, refresh_token: str, deadline: Deadline | None) -> Tokens:
        signed_in = self.refresh(refresh_token, deadline)
        try:
            if self._on_refreshed is not None:
                self._on_refreshed(signed_in)
        except OSError as error:  # the server has rotated the tokens: they must still be kept
            log.warning("What the renewed session states was not kept: %s", error)
        return signed_in.tokens

    def catalog_page(self, cursor: str = "", limit: int = 200) -> FeedPage[CourseDoc]:
        """One page of the catalog feed after `cursor` ("" = from the beginning)."""
        response = self.transport.request(
            "GET", "/api/v1/sync/catalog", params=_page(cursor, limit)
        )
        from desktop_app.api.documents import parse_course

        with collector_paused():
            reply = _json_of(response, "the catalog page")
            return parse_feed_page(reply, "course", parse_course, "catalog")

    def schedule_page(self, cursor: str = "", limit: int = 200) -> FeedPage[ResidencyDoc]:
        """One page of the schedule feed (the user's residencies) after `cursor`."""
        response = self.transport.request(
            "GET", "/api/v1/sync/schedule", params=_page(cursor, limit)
        )
        from desktop_app.api.documents import parse_residency

        with collector_paused():
            reply = _json_of(response, "the schedule page")
            return parse_feed_page(reply, "residency", parse_residency, "schedule")

    def post_checkin(
        self, checkin_id: str, residency_id: str, code: str, device_time: datetime
    ) -> CheckinReceipt:
        """Check in at a residency; safe to repeat with the same `checkin_id`."""
        response = self.transport.request(
            "POST",
            "/api/v1/checkins",
            json={
                "id": checkin_id,
                "residency_id": residency_id,
                "code": code,
                "device_time": rfc3339(device_time),
            },
            idempotent=True,
        )
        return parse_checkin(_json_of(response, "the check-in reply"), response.status_code == 201)

    def open_asset_stream(
        self, sha256: str, start_byte: int = 0, etag: str | None = None
    ) -> TimedStream:
        """A streaming response for one asset, from `start_byte` on (206 when resuming).

        With `etag` the request carries If-Range, so a server whose file changed sends the
        whole file (200) instead of a range that would not fit. The caller closes the response;
        a reply that drips in slower than the deadline stops with DeadlineError.
        """
        if _SHA256.fullmatch(sha256) is None:
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        from desktop_app.api.asset_stream import open_asset

        return open_asset(self.transport, sha256, start_byte, etag)


def _page(cursor: str, limit: int) -> dict[str, str | int]:
    params: dict[str, str | int] = {"limit": max(1, min(limit, 500))}
    if cursor:
        params["cursor"] = cursor
    return params


def _json_of(response: requests.Response, what: str) -> Any:
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise BadPayloadError(f"{what} is not valid JSON") from error
