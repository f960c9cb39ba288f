"""The xAPI 1.0.3 statements resource (/xapi/statements) and /xapi/about."""

import json
import re
from collections.abc import Callable
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from reference_server import xapi_openapi as documented
from reference_server.auth import AuthenticatedUser
from reference_server.jsonresponse import json_response
from reference_server.problems import ProblemError
from reference_server.wire import is_uuid
from reference_server.xapi_attachments import (
    Part,
    media_type,
    multipart_body,
    parse_multipart,
    raw_parts,
    wanted_parts,
)
from reference_server.xapi_format import formatted
from reference_server.xapi_params import (
    SINGLE,
    MoreLinks,
    bool_param,
    check_param_names,
    format_param,
    query_from_params,
)
from reference_server.xapi_store import StatementStore

XAPI_VERSION = "1.0.3"
_ACCEPTED_VERSION = re.compile(r"1\.0(\.\d+)?")
RESOURCES_EXTENSION = "resources"
"""The /xapi/about extension, under the server's extensions IRI base, that lists the xAPI
resources this server serves."""
SERVED_RESOURCES = ["statements"]

__all__ = ["MoreLinks", "StatementsResource", "about_router", "statements_router"]


def require_version(x_experience_api_version: Annotated[str | None, Header()] = None) -> None:
    """Part Three 3.3.s3: 1.0 and any 1.0.x are taken; no header or any other version is 400."""
    if not _ACCEPTED_VERSION.fullmatch(x_experience_api_version or ""):
        raise ProblemError(400, detail="Send the header X-Experience-API-Version: 1.0.3.")


def _bad(detail: str) -> ProblemError:
    return ProblemError(400, detail=detail)


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _bad("The body is not valid JSON (or nests too deeply).") from None


def _authority(request: Request, user: AuthenticatedUser) -> dict[str, Any]:
    home = str(request.base_url).rstrip("/")
    return {"objectType": "Agent", "account": {"homePage": home, "name": user.username}}


async def _body(request: Request) -> tuple[Any, dict[str, Part]]:
    """The statement or batch sent, and the attachment parts of a multipart/mixed request."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    if media_type(content_type) == "multipart/mixed":
        statement_json, parts = raw_parts(parse_multipart(raw, content_type))
        return _parse_json(statement_json), parts
    return _parse_json(raw), {}


def _only_params(request: Request, allowed: set[str]) -> None:
    """Part Three 3.2: a parameter the resource does not take is a 400."""
    unknown = set(request.query_params) - allowed
    if unknown:
        raise _bad(f"Unknown parameter(s): {', '.join(sorted(unknown))}.")


class StatementsResource:
    """What the statements endpoints do, apart from the HTTP wiring."""

    def __init__(self, store: StatementStore, more_links: MoreLinks) -> None:
        self._store, self._more = store, more_links

    async def post(self, request: Request, user: AuthenticatedUser) -> Response:
        _only_params(request, set())
        body, parts = await _body(request)
        batch = body if isinstance(body, list) else [body]
        if not batch:
            raise _bad("The batch is empty.")
        authority = _authority(request, user)
        ids = await run_in_threadpool(self._store.store, user, authority, batch, parts)
        return json_response(ids)

    async def put(self, request: Request, user: AuthenticatedUser, statement_id: str) -> Response:
        _only_params(request, {"statementId"})
        if not is_uuid(statement_id):
            raise _bad("statementId must be a UUID.")
        body, parts = await _body(request)
        if not isinstance(body, dict):
            raise _bad("PUT takes a single statement.")
        if str(body.setdefault("id", statement_id)).lower() != statement_id.lower():
            raise _bad("The statement id differs from statementId.")
        authority = _authority(request, user)
        await run_in_threadpool(self._store.store, user, authority, [body], parts)
        return Response(status_code=204)

    def get(self, request: Request, user: AuthenticatedUser) -> Response:
        params = dict(request.query_params)
        check_param_names(params)
        language = request.headers.get("accept-language")
        single = [name for name in SINGLE if name in params]
        if single:
            return self._one(params, single[0], user, language)
        if "more" in params:
            query = self._more.resume(params["more"], user.id)
        else:
            query = query_from_params(params)
        page = self._store.query(user, query)
        more = ""
        if page.has_more and page.last_seq is not None:
            more = self._more.link(query, page.last_seq, user.id)
        texts = page.statements
        if query.format != "exact":
            texts = [_reformat(text, query.format, language) for text in texts]
        body = f'{{"statements":[{",".join(texts)}],"more":{json.dumps(more)}}}'
        return self._reply(body, texts, query.attachments, {})

    def _one(
        self, params: dict[str, str], name: str, user: AuthenticatedUser, language: str | None
    ) -> Response:
        how, attachments = format_param(params), bool_param(params, "attachments")
        if not is_uuid(params[name]):
            raise _bad(f"{name} must be a UUID.")
        found = self._store.get(user, params[name], voided=name == "voidedStatementId")
        if found is None:
            raise ProblemError(404, detail="No such statement.")
        text = found.body if how == "exact" else _reformat(found.body, how, language)
        headers = {"Last-Modified": format_datetime(found.stored, usegmt=True)}
        return self._reply(text, [text], attachments, headers)

    def _reply(
        self, body: str, texts: list[str], attachments: bool, headers: dict[str, str]
    ) -> Response:
        if not attachments:
            return Response(body, headers=headers, media_type="application/json")
        wanted = wanted_parts(json.loads(text) for text in texts)
        kept = self._store.attachment_content([sha2 for sha2, _ in wanted])
        parts = [(sha2, kind, kept[sha2]) for sha2, kind in wanted if sha2 in kept]
        content, multipart_type = multipart_body(body, parts)
        return Response(content, headers=headers, media_type=multipart_type)


def _reformat(text: str, how: str, language: str | None) -> str:
    statement = formatted(json.loads(text), how, language)
    return json.dumps(statement, separators=(",", ":"), ensure_ascii=False)


def about_router(extensions_iri_base: str) -> APIRouter:
    router = APIRouter(prefix="/xapi", tags=["xapi"])
    resources = f"{extensions_iri_base.rstrip('/')}/{RESOURCES_EXTENSION}"

    @router.get(
        "/about",
        summary="LRS information: xAPI versions and the resources served",
        **documented.ABOUT,
    )
    def get_about() -> Response:
        document = {
            "version": [XAPI_VERSION],
            "extensions": {resources: SERVED_RESOURCES},
        }
        return json_response(document)

    return router


def statements_router(
    resource: StatementsResource, guard: Callable[..., AuthenticatedUser]
) -> APIRouter:
    router = APIRouter(prefix="/xapi", tags=["xapi"], dependencies=[Depends(require_version)])

    @router.post(
        "/statements",
        summary="Store one statement or a batch (atomic, idempotent)",
        **documented.POST,
    )
    async def post_statements(
        request: Request, user: Annotated[AuthenticatedUser, Depends(guard)]
    ) -> Response:
        return await resource.post(request, user)

    @router.put(
        "/statements",
        status_code=204,
        summary="Store one statement under statementId",
        **documented.PUT,
    )
    async def put_statement(
        request: Request, user: Annotated[AuthenticatedUser, Depends(guard)], statementId: str
    ) -> Response:
        return await resource.put(request, user, statementId)

    @router.get(
        "/statements", summary="Fetch statements (filters, paging with more)", **documented.GET
    )
    def get_statements(
        request: Request, user: Annotated[AuthenticatedUser, Depends(guard)]
    ) -> Response:
        return resource.get(request, user)

    @router.head(
        "/statements",
        summary="The headers a GET of the same statements would have",
        **documented.HEAD,
    )
    def head_statements(
        request: Request, user: Annotated[AuthenticatedUser, Depends(guard)]
    ) -> Response:
        reply = resource.get(request, user)
        return Response(status_code=reply.status_code, headers=dict(reply.headers))

    return router
