"""The xAPI 1.0.3 statements resource (/xapi/statements) and /xapi/about."""

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from reference_server.auth import AuthenticatedUser
from reference_server.cursors import CursorCodec, InvalidCursor
from reference_server.jsonresponse import json_response
from reference_server.problems import ProblemError
from reference_server.wire import is_uuid, parse_rfc3339
from reference_server.xapi_store import (
    StatementQuery,
    StatementStore,
    agent_key,
    xapi_time,
)
from reference_server.xapi_validation import StatementError, is_iri, validate_agent

XAPI_VERSION = "1.0.3"
MAX_LIMIT = 500
_FILTERS = {"agent", "verb", "activity", "registration", "since", "until", "limit", "ascending"}
_IGNORED = {"related_activities", "related_agents", "format", "attachments"}
_SINGLE = {"statementId", "voidedStatementId"}


def require_version(x_experience_api_version: Annotated[str | None, Header()] = None) -> None:
    if not x_experience_api_version or not x_experience_api_version.startswith("1.0"):
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


def _time_param(params: dict[str, str], name: str) -> datetime | None:
    if name not in params:
        return None
    try:
        return parse_rfc3339(params[name])
    except ValueError:
        raise _bad(f"{name} must be an ISO 8601 timestamp with a time zone.") from None


def _agent_param(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        agent = json.loads(text)
        validate_agent(agent, "agent")
    except (json.JSONDecodeError, StatementError) as exc:
        raise _bad(f"agent must be a JSON agent: {exc}") from None
    return agent_key(agent)


def _limit_param(text: str | None) -> int:
    if text is None:
        return 100
    if not text.isdigit():
        raise _bad("limit must be a non-negative integer.")
    return min(int(text), MAX_LIMIT) or MAX_LIMIT


def _bool_param(text: str | None, default: bool) -> bool:
    if text is None:
        return default
    if text not in ("true", "false"):
        raise _bad("ascending must be true or false.")
    return text == "true"


def query_from_params(params: dict[str, str]) -> StatementQuery:
    for name in ("verb", "activity"):
        if name in params and not is_iri(params[name]):
            raise _bad(f"{name} must be an IRI.")
    if "registration" in params and not is_uuid(params["registration"]):
        raise _bad("registration must be a UUID.")
    return StatementQuery(
        agent=_agent_param(params.get("agent")),
        verb=params.get("verb"),
        activity=params.get("activity"),
        registration=params.get("registration", "").lower() or None,
        since=_time_param(params, "since"),
        until=_time_param(params, "until"),
        ascending=_bool_param(params.get("ascending"), True),
        limit=_limit_param(params.get("limit")),
    )


class MoreLinks:
    """`more` continuation URLs: the query and the last position, signed."""

    def __init__(self, codec: CursorCodec) -> None:
        self._codec = codec

    def link(self, query: StatementQuery, last_seq: int, user_id: str) -> str:
        fields = {**asdict(query), "after_seq": last_seq, "user": user_id}
        for name in ("since", "until"):
            if fields[name] is not None:
                fields[name] = fields[name].isoformat()
        return "/xapi/statements?more=" + quote(self._codec.encode({"more": fields}))

    def resume(self, token: str, user_id: str) -> StatementQuery:
        try:
            fields = dict(self._codec.decode(token)["more"])
            if fields.pop("user", None) != user_id:
                raise InvalidCursor("issued to someone else")
            for name in ("since", "until"):
                if fields.get(name) is not None:
                    fields[name] = datetime.fromisoformat(fields[name])
            return StatementQuery(**fields)
        except (InvalidCursor, KeyError, TypeError, ValueError):
            raise ProblemError(400, "unknown-cursor", "The more link is not valid here.") from None


def _check_param_names(params: dict[str, str]) -> None:
    unknown = set(params) - _FILTERS - _IGNORED - _SINGLE - {"more"}
    if unknown:
        raise _bad(f"Unknown parameter(s): {', '.join(sorted(unknown))}.")
    if "more" in params and len(params) > 1:
        raise _bad("more cannot be combined with other parameters.")
    if _SINGLE & set(params) and (len(_SINGLE & set(params)) > 1 or _FILTERS & set(params)):
        raise _bad("statementId and voidedStatementId stand alone.")


class StatementsResource:
    """What the statements endpoints do, apart from the HTTP wiring."""

    def __init__(self, store: StatementStore, more_links: MoreLinks) -> None:
        self._store, self._more = store, more_links

    async def post(self, request: Request, user: AuthenticatedUser) -> Response:
        body = _parse_json(await request.body())
        batch = body if isinstance(body, list) else [body]
        if not batch:
            raise _bad("The batch is empty.")
        ids = await run_in_threadpool(self._store.store, user, _authority(request, user), batch)
        return json_response(ids)

    async def put(self, request: Request, user: AuthenticatedUser, statement_id: str) -> Response:
        if not is_uuid(statement_id):
            raise _bad("statementId must be a UUID.")
        body = _parse_json(await request.body())
        if not isinstance(body, dict):
            raise _bad("PUT takes a single statement.")
        if str(body.setdefault("id", statement_id)).lower() != statement_id.lower():
            raise _bad("The statement id differs from statementId.")
        await run_in_threadpool(self._store.store, user, _authority(request, user), [body])
        return Response(status_code=204)

    def get(self, params: dict[str, str], user: AuthenticatedUser) -> Response:
        _check_param_names(params)
        headers = {"X-Experience-API-Consistent-Through": xapi_time(self._store.now())}
        single = _SINGLE & set(params)
        if single:
            name = single.pop()
            if not is_uuid(params[name]):
                raise _bad(f"{name} must be a UUID.")
            found = self._store.get(user, params[name], voided=name == "voidedStatementId")
            if found is None:
                raise ProblemError(404, detail="No such statement.")
            return Response(found, headers=headers, media_type="application/json")
        if "more" in params:
            query = self._more.resume(params["more"], user.id)
        else:
            query = query_from_params(params)
        page = self._store.query(user, query)
        more = ""
        if page.has_more and page.last_seq is not None:
            more = self._more.link(query, page.last_seq, user.id)
        statements = ",".join(page.statements)  # stored JSON texts, not parsed again
        body = f'{{"statements":[{statements}],"more":{json.dumps(more)}}}'
        return Response(body, headers=headers, media_type="application/json")


def about_router() -> APIRouter:
    router = APIRouter(prefix="/xapi", tags=["xapi"])

    @router.get("/about", summary="LRS information")
    def get_about() -> Response:
        return json_response({"version": [XAPI_VERSION]})

    return router


def statements_router(
    resource: StatementsResource, guard: Callable[..., AuthenticatedUser]
) -> APIRouter:
    router = APIRouter(prefix="/xapi", tags=["xapi"], dependencies=[Depends(require_version)])

    @router.post("/statements", summary="Store one statement or a batch (atomic, idempotent)")
    async def post_statements(
        request: Request, user: Annotated[AuthenticatedUser, Depends(guard)]
    ) -> Response:
        return await resource.post(request, user)

    @router.put("/statements", status_code=204, summary="Store one statement under statementId")
    async def put_statement(
        request: Request, user: Annotated[AuthenticatedUser, Depends(guard)], statementId: str
    ) -> Response:
        return await resource.put(request, user, statementId)

    @router.get("/statements", summary="Fetch statements (filters, paging with more)")
    def get_statements(
        request: Request, user: Annotated[AuthenticatedUser, Depends(guard)]
    ) -> Response:
        return resource.get(dict(request.query_params), user)

    return router
