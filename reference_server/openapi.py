"""The OpenAPI document at /openapi.json as the API's contract: the sign-in each operation
takes (bearer access token, or HTTP Basic for xAPI clients), and the error statuses each
really answers, every one with the problem+json schema.

A request FastAPI cannot parse is answered 400 (reference_server.problems), so the 422
FastAPI would document for it is removed; an operation that answers 422 itself (a wrong
check-in code, a manifest naming another server) declares it with `problems(...)`.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.models import HTTPBase, HTTPBearer
from fastapi.openapi.utils import get_openapi
from fastapi.security.base import SecurityBase
from starlette.requests import Request

from reference_server.problems import PROBLEM_MEDIA_TYPE
from reference_server.schemas import Problem

Responses = dict[int | str, dict[str, Any]]
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")

_WHY = {
    400: "The request is malformed or breaks a rule of the operation (see detail)",
    401: "No credentials, or unknown or expired ones (WWW-Authenticate says which kinds)",
    403: "Signed in, but not allowed",
    404: "No such thing",
    409: "It conflicts with what the server holds",
    413: "The request body is larger than the server takes",
    416: "The range lies outside the asset",
    422: "Well-formed, but refused by the rule named in type",
    429: "Too many failed sign-ins (with a password); Retry-After says when to try again",
    503: "The server cannot serve now (database or asset folder unreachable)",
}


class AuthorizationHeader(SecurityBase):
    """The Authorization header as it came, documented as the security scheme `name`; the
    guards in reference_server.auth_routes check it."""

    def __init__(self, name: str, model: HTTPBase) -> None:
        self.model = model
        self.scheme_name = name

    async def __call__(self, request: Request) -> str | None:
        return request.headers.get("authorization")


BEARER = AuthorizationHeader(
    "bearer",
    HTTPBearer(description="The access token from /api/v1/auth/token or /api/v1/auth/refresh"),
)
BASIC = AuthorizationHeader(
    "basic", HTTPBase(scheme="basic", description="Username and password (xAPI clients)")
)


def problems(*statuses: int) -> Responses:
    """`responses=` for the error statuses an operation answers, as problem+json."""
    return {
        status: {
            "description": _WHY.get(status) or HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}},
        }
        for status in statuses
    }


def reply(model: type, description: str, status: int = 200) -> Responses:
    """`responses=` documenting a JSON reply the route builds itself (nothing filtered)."""
    return {status: {"model": model, "description": description}}


def contract(app: FastAPI) -> dict[str, Any]:
    """The document FastAPI makes, with the Problem schema and without its 422s."""
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for operations in document["paths"].values():
        for operation in operations.values():
            _drop_validation_reply(operation["responses"])
            _keep_last_of_each_parameter(operation)
    return document


def _keep_last_of_each_parameter(operation: dict[str, Any]) -> None:
    """A parameter described again in `openapi_extra` replaces the one FastAPI derived from
    the route's signature (header names compared without case)."""
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in operation.get("parameters", []):
        name = parameter["name"].lower() if parameter["in"] == "header" else parameter["name"]
        kept.pop((parameter["in"], name), None)
        kept[(parameter["in"], name)] = parameter
    if kept:
        operation["parameters"] = list(kept.values())


def _drop_validation_reply(responses: dict[str, Any]) -> None:
    unprocessable = responses.get("422", {})
    schema = unprocessable.get("content", {}).get("application/json", {}).get("schema", {})
    if schema.get("$ref", "").endswith("/HTTPValidationError"):
        del responses["422"]


def install_contract(app: FastAPI) -> None:
    """Serve `contract(app)` at /openapi.json (made once, at the first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = contract(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
