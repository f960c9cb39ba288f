"""Test hooks: a log of the requests the server received, and injected faults
(error statuses, malformed bodies, delays, connections dropped mid-body, bodies dripped a byte
at a time)."""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_server.middleware import send_problem
from reference_server.problems import kind_for_status


class RecordedRequest(NamedTuple):
    method: str
    path: str
    headers: Headers  # case-insensitive; Authorization is reduced to its scheme
    query: str


class InjectedDisconnect(Exception):
    """Raised to make the server drop a connection in the middle of a response body."""


@dataclass
class Fault:
    path_prefix: str
    status: int | None
    remaining: int
    retry_after: float | str | None
    body: bytes | None
    delay: float | None
    drop_after_bytes: int | None
    method: str | None
    content_type: str
    drip: float | None = None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)


class FaultInjector:
    """`add` arms a fault for the next `count` requests whose path starts with `path_prefix`."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        path_prefix: str,
        status: int | None = None,
        count: int = 1,
        retry_after: float | str | None = None,
        body: bytes | str | None = None,
        delay: float | None = None,
        drop_after_bytes: int | None = None,
        method: str | None = None,
        content_type: str = "application/json",
        drip: float | None = None,
    ) -> None:
        """`drip` sends the body one byte at a time, that many seconds apart."""
        raw = body.encode() if isinstance(body, str) else body
        if raw is not None and status is None:
            status = 200
        fault = Fault(
            path_prefix,
            status,
            count,
            retry_after,
            raw,
            delay,
            drop_after_bytes,
            method.upper() if method else None,
            content_type,
            drip,
        )
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(fault.remaining for fault in self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None


class RequestLog:
    def __init__(self, capacity: int = 20_000) -> None:
        self._entries: deque[RecordedRequest] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def record(self, scope: Scope) -> None:
        raw = [
            (name, value.split(b" ", 1)[0] + b" [redacted]" if name == b"authorization" else value)
            for name, value in scope["headers"]
            if name != b"cookie"
        ]
        entry = RecordedRequest(
            scope["method"],
            scope["path"],
            Headers(raw=raw),
            scope.get("query_string", b"").decode(),
        )
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, log: RequestLog) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.log.record(scope)
        await self.app(scope, receive, send)


class _DropAfter:
    """A `send` that passes on the first `limit` body bytes, then breaks the connection."""

    def __init__(self, send: Send, limit: int) -> None:
        self._send, self._room = send, limit

    async def __call__(self, message: Message) -> None:
        if message["type"] != "http.response.body":
            await self._send(message)
            return
        body = message.get("body", b"")
        if len(body) <= self._room:
            self._room -= len(body)
            await self._send(message)
            return
        await self._send(
            {"type": "http.response.body", "body": body[: self._room], "more_body": True}
        )
        raise InjectedDisconnect("connection dropped by an injected fault")


class _Drip:
    """A `send` that passes the body on a byte at a time, `seconds` apart, until the client
    hangs up (then it breaks off, instead of dripping on to nobody)."""

    def __init__(self, send: Send, receive: Receive, seconds: float) -> None:
        self._send, self._receive, self._seconds = send, receive, seconds

    async def __call__(self, message: Message) -> None:
        if message["type"] != "http.response.body":
            await self._send(message)
            return
        body = message.get("body", b"")
        for index in range(len(body)):
            piece = {
                "type": "http.response.body",
                "body": body[index : index + 1],
                "more_body": True,
            }
            await self._send(piece)
            if await self._client_left():
                raise InjectedDisconnect("the client hung up on a dripping reply")
        await self._send({**message, "body": b""})

    async def _client_left(self) -> bool:
        with anyio.move_on_after(self._seconds):
            while (await self._receive())["type"] != "http.disconnect":
                pass
            return True
        return False


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: FaultInjector) -> None:
        self.app, self.faults = app, faults
        _quieten_injected_disconnects()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fault = (
            self.faults.take(scope["method"], scope["path"]) if scope["type"] == "http" else None
        )
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.delay:
            await anyio.sleep(fault.delay)
        if fault.drop_after_bytes is not None:
            send = _DropAfter(send, fault.drop_after_bytes)
        if fault.drip is not None:
            send = _Drip(send, receive, fault.drip)
        if fault.status is None:
            await self.app(scope, receive, send)
        else:
            await _send_fault(send, fault)


async def _send_fault(send: Send, fault: Fault) -> None:
    assert fault.status is not None
    headers = (
        [] if fault.retry_after is None else [(b"retry-after", str(fault.retry_after).encode())]
    )
    if fault.body is None:
        title = "Injected fault"
        await send_problem(send, fault.status, kind_for_status(fault.status), title, "", headers)
        return
    start_headers = [
        (b"content-type", fault.content_type.encode()),
        (b"content-length", str(len(fault.body)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": fault.status, "headers": start_headers})
    await send({"type": "http.response.body", "body": fault.body})


class _InjectedDisconnectFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        while isinstance(error, BaseExceptionGroup) and error.exceptions:
            error = error.exceptions[0]
        return not isinstance(error, InjectedDisconnect)


def _quieten_injected_disconnects() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(item, _InjectedDisconnectFilter) for item in logger.filters):
        logger.addFilter(_InjectedDisconnectFilter())
