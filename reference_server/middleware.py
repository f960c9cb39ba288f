"""ASGI middleware: the request body limit and the xAPI version header on xAPI responses."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_server.problems import PROBLEM_MEDIA_TYPE, problem_body

DEFAULT_BODY_LIMIT = 5 * 1024 * 1024
DRAIN_LIMIT = 64 * 1024 * 1024
XAPI_HEADER = (b"x-experience-api-version", b"1.0.3")


async def send_problem(
    send: Send,
    status: int,
    kind: str,
    title: str,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = problem_body(status, kind, title, detail)
    start_headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *(headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Reads at most `limit` bytes of a request body; a larger body is answered with 413
    before the application sees any of it."""

    def __init__(self, app: ASGIApp, limit: int = DEFAULT_BODY_LIMIT) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.limit:
                await self._too_large(receive, send, more)
                return
        replay = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([replay], receive), send)

    async def _too_large(self, receive: Receive, send: Send, more: bool = True) -> None:
        """Reads and discards the rest of a moderately large body first, so the client is
        listening when the answer comes; past DRAIN_LIMIT the connection is just closed."""
        drained = 0
        while more and drained < DRAIN_LIMIT:
            message = await receive()
            drained += len(message.get("body", b""))
            more = message["type"] == "http.request" and message.get("more_body", False)
        detail = f"Request bodies are limited to {self.limit} bytes."
        await send_problem(
            send, 413, "payload-too-large", "Payload too large", detail, [(b"connection", b"close")]
        )


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


class XapiVersionHeader:
    """Every response under /xapi carries X-Experience-API-Version."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/xapi"):
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != XAPI_HEADER[0]]
                message = {**message, "headers": [*headers, XAPI_HEADER]}
            await send(message)

        await self.app(scope, receive, send_with_version)
