"""RFC 9457 problem details: the one error shape every endpoint answers with."""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

PROBLEM_BASE = "https://rounds.example/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
"""The id of the request being answered (set by operations.RequestContext)."""

_KIND_BY_STATUS = {
    400: "invalid-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "invalid-request",
    409: "conflict",
    413: "payload-too-large",
    415: "invalid-request",
    429: "rate-limited",
}


_TITLE_BY_KIND = {
    "invalid-request": "Invalid request",
    "unauthorized": "Authentication required",
    "forbidden": "Forbidden",
    "not-found": "Not found",
    "conflict": "Conflict",
    "payload-too-large": "Payload too large",
    "unknown-cursor": "Unknown cursor",
    "rate-limited": "Too many requests",
    "server-error": "Server error",
}


def kind_for_status(status: int) -> str:
    if status >= 500:
        return "server-error"
    return _KIND_BY_STATUS.get(status, "invalid-request")


class ProblemError(Exception):
    """Raised anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        kind: str | None = None,
        detail: str = "",
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or kind or str(status))
        self.status = status
        self.kind = kind or kind_for_status(status)
        self.detail = detail
        self.title = title or _TITLE_BY_KIND.get(self.kind) or _default_title(status)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def _default_title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(
    status: int, kind: str, title: str, detail: str = "", extra: Mapping[str, Any] | None = None
) -> bytes:
    document: dict[str, Any] = {"type": PROBLEM_BASE + kind, "title": title, "status": status}
    if detail:
        document["detail"] = detail
    document.update(extra or {})
    request_id = REQUEST_ID.get()
    if request_id is not None:
        document["request_id"] = request_id
    return json.dumps(document).encode()


def problem_response(error: ProblemError) -> Response:
    body = problem_body(error.status, error.kind, error.title, error.detail, error.extra)
    headers = dict(error.headers)
    request_id = REQUEST_ID.get()
    if request_id is not None:
        headers["X-Request-ID"] = request_id  # also on a 500, sent outside RequestContext
    return Response(body, status_code=error.status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, never the submitted value (it may be a password)."""
    return [
        {"location": [str(part) for part in error.get("loc", ())], "message": error.get("msg", "")}
        for error in exc.errors()
    ]


async def _on_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(exc)


async def _on_validation(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    detail = "; ".join(f"{'.'.join(e['location'])}: {e['message']}" for e in errors)
    return problem_response(ProblemError(400, detail=detail, extra={"errors": errors}))


async def _on_http(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else ""
    return problem_response(ProblemError(exc.status_code, detail=detail, headers=exc.headers))


async def _on_unexpected(_request: Request, _exc: Exception) -> Response:
    error = ProblemError(500, detail="The server could not complete the request.")
    return problem_response(error)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
