"""What an operator watches: request ids, the access log, and the health endpoints.

Every response carries `X-Request-ID` (the request's own if well-formed, else a new one), every
problem+json reply names it as `request_id`, and each request ends with one access log line on
the `reference_server.access` logger: a JSON object with the method, the path (never the query,
which may carry secrets), the status, the duration and the request id; never a header or body.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_server.backend import Backend
from reference_server.jsonresponse import json_response
from reference_server.openapi import problems, reply
from reference_server.problems import REQUEST_ID, ProblemError
from reference_server.schemas import Health

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
access_log = logging.getLogger("reference_server.access")
log = logging.getLogger(__name__)


def configure_logging() -> None:
    """Server messages as time, level, source and text on stderr; access lines (one JSON
    object each) on stderr as they are. Calling it again adds nothing."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if access_log.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    access_log.addHandler(handler)
    access_log.propagate = False


def request_id_of(headers: Headers) -> str:
    """The client's request id if it is 1-128 safe characters, else a new one."""
    given = headers.get(REQUEST_ID_HEADER, "")
    return given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex


class RequestContext:
    """Outermost middleware: names the request, returns its id, writes its access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(Headers(scope=scope))
        REQUEST_ID.set(request_id)  # left set: the 500 handler runs after this returns
        header = (REQUEST_ID_HEADER.lower().encode(), request_id.encode())
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                kept = [h for h in message.get("headers", []) if h[0].lower() != header[0]]
                message = {**message, "headers": [*kept, header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_access(scope, status, time.perf_counter() - started, request_id)


def _log_access(scope: Scope, status: int, seconds: float, request_id: str) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    line = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "request_id": request_id,
        "client": client[0] if client else None,
    }
    access_log.info(json.dumps(line, separators=(",", ":")))


def readiness_problem(backend: Backend) -> str | None:
    """Why the server cannot serve now (database or asset folder unreachable), or None."""
    try:
        with backend.db.read() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"The database cannot be reached: {type(exc).__name__}."
    folder = backend.assets.root
    problem = _asset_folder_problem(folder)
    if problem is not None:
        log.warning("Not ready: %s (%s)", problem, folder)  # the path for the operator only
    return problem


def _asset_folder_problem(folder: Path) -> str | None:
    """What is wrong with the asset folder, without its path (the reply is public)."""
    if not folder.is_dir():
        return "The asset folder is missing."
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        return "The asset folder cannot be read and written."
    try:
        with os.scandir(folder) as entries:
            next(entries, None)
    except OSError as exc:
        return f"The asset folder cannot be read: {exc.strerror or type(exc).__name__}."
    return None


def health_router(backend: Backend) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive", responses=reply(Health, "Alive"))
    def healthz() -> Response:
        return json_response({"status": "alive"}, headers={"Cache-Control": "no-store"})

    @router.get(
        "/readyz",
        summary="The database and the asset folder are reachable",
        responses={**reply(Health, "Ready"), **problems(503)},
    )
    def readyz() -> Response:
        problem = readiness_problem(backend)
        if problem is not None:
            raise ProblemError(503, "not-ready", problem, title="Not ready")
        return json_response({"status": "ready"}, headers={"Cache-Control": "no-store"})

    return router
