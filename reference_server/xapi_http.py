"""HTTP rules of the statements resource that sit around the routes (xAPI 1.0.3 Part Three):
the Alternate Request Syntax (1.3), and X-Experience-API-Consistent-Through on every reply,
errors included (2.1.3.s2.b5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_server.middleware import send_problem
from reference_server.xapi_compare import xapi_time

STATEMENTS_PATH = "/xapi/statements"
CONSISTENT_THROUGH = b"x-experience-api-consistent-through"
_METHODS = {"GET", "HEAD", "PUT", "POST"}
_FORM_HEADERS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}
_FORM = "application/x-www-form-urlencoded"


class AlternateSyntaxError(ValueError):
    """The request uses the Alternate Request Syntax wrongly."""


def _read_body(messages: list[Message]) -> bytes:
    return b"".join(message.get("body", b"") for message in messages)


def rewritten(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    """The request the form describes: its method, headers, query parameters and content."""
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    names = [name for name, _ in query]
    method = dict(query).get("method", "")
    if names != ["method"]:
        raise AlternateSyntaxError("With the method parameter no other parameter may be sent.")
    if method not in _METHODS:
        raise AlternateSyntaxError("method must be GET, HEAD, PUT or POST.")
    headers = dict(scope["headers"])
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type != _FORM.encode():
        raise AlternateSyntaxError(f"The Alternate Request Syntax takes {_FORM}.")
    try:
        form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        raise AlternateSyntaxError("The form is not valid form encoding.") from None
    kept = [
        (name, value)
        for name, value in scope["headers"]
        if name not in (b"content-type", b"content-length")
    ]
    parameters, content = [], b""
    for name, value in form:
        if name.lower() in _FORM_HEADERS:
            if name.lower() != "content-length":
                kept = [item for item in kept if item[0] != name.lower().encode()]
                kept.append((name.lower().encode("latin-1"), value.encode("latin-1", "replace")))
        elif name == "content":
            content = value.encode("utf-8")
        else:
            parameters.append((name, value))
    kept.append((b"content-length", str(len(content)).encode()))
    new_scope = {
        **scope,
        "method": method,
        "headers": kept,
        "query_string": urlencode(parameters).encode("latin-1"),
    }
    return new_scope, content


def _is_statements(scope: Scope) -> bool:
    return bool(scope["type"] == "http" and scope["path"].rstrip("/") == STATEMENTS_PATH)


class ConsistentThrough:
    """Stamps every reply of the statements resource (a refused body's 413 too) with the time
    through which the statements stored are available."""

    def __init__(self, app: ASGIApp, clock: Callable[[], datetime]) -> None:
        self.app, self.clock = app, clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_statements(scope):
            await self.app(scope, receive, send)
            return
        moment = xapi_time(self.clock()).encode()

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h for h in message.get("headers", []) if h[0].lower() != CONSISTENT_THROUGH
                ]
                message = {**message, "headers": [*headers, (CONSISTENT_THROUGH, moment)]}
            await send(message)

        await self.app(scope, receive, with_header)


class AlternateRequestSyntax:
    """Turns a POST /xapi/statements?method=… with a form into the request it describes (inside
    the body limit, which has read the form already)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _is_statements(scope) and b"method=" in scope.get("query_string", b""):
            try:
                scope, receive = await self._alternate(scope, receive)
            except AlternateSyntaxError as error:
                await send_problem(send, 400, "invalid-request", "Invalid request", str(error))
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _alternate(scope: Scope, receive: Receive) -> tuple[Scope, Receive]:
        if scope["method"] != "POST":
            raise AlternateSyntaxError("The method parameter is taken only with POST.")
        messages, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            messages.append(message)
            more = message.get("more_body", False)
        new_scope, content = rewritten(scope, _read_body(messages))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": content, "more_body": False}

        return new_scope, replay
