"""GET /xapi/statements parameters (xAPI 1.0.3 Part Three 2.1.3) and the `more` links that
continue a query."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from urllib.parse import quote

from reference_server.cursors import CursorCodec, InvalidCursor
from reference_server.problems import ProblemError
from reference_server.wire import is_uuid, parse_rfc3339
from reference_server.xapi_match import Filters, agent_hint, agent_key
from reference_server.xapi_rules.formats import timestamp
from reference_server.xapi_store import StatementQuery
from reference_server.xapi_validation import StatementError, is_iri, validate_agent

MAX_LIMIT = 500
FORMATS = ("ids", "exact", "canonical")
_FILTERS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "ascending",
}
_PRESENTATION = {"format", "attachments"}
SINGLE = ("statementId", "voidedStatementId")


def _bad(detail: str) -> ProblemError:
    return ProblemError(400, detail=detail)


def _time_param(params: dict[str, str], name: str) -> datetime | None:
    """Checked as a statement's timestamp is (Part Two 2.2.s4.b4), so `-00:00` is refused."""
    if name not in params:
        return None
    try:
        timestamp(params[name], name)
        return parse_rfc3339(params[name])
    except (StatementError, ValueError):
        raise _bad(f"{name} must be an ISO 8601 timestamp with a time zone.") from None


def _agent_filter(text: str | None) -> tuple[str | None, str | None]:
    if text is None:
        return None, None
    try:
        agent = json.loads(text)
        validate_agent(agent, "agent")
    except (json.JSONDecodeError, RecursionError, StatementError) as exc:
        raise _bad(f"agent must be a JSON Agent or Identified Group: {exc}") from None
    if not any(ifi in agent for ifi in ("mbox", "mbox_sha1sum", "openid", "account")):
        raise _bad("agent must be an Agent or an Identified Group.")
    return agent_key(agent), agent_hint(agent)


def _limit_param(text: str | None) -> int:
    if text is None:
        return 100
    if not text.isdigit():
        raise _bad("limit must be a non-negative integer.")
    return min(int(text), MAX_LIMIT) or MAX_LIMIT


def bool_param(params: dict[str, str], name: str) -> bool:
    text = params.get(name, "false")
    if text not in ("true", "false"):
        raise _bad(f"{name} must be true or false.")
    return text == "true"


def format_param(params: dict[str, str]) -> str:
    value = params.get("format", "exact")
    if value not in FORMATS:
        raise _bad("format must be ids, exact or canonical.")
    return value


def _filters(params: dict[str, str]) -> Filters:
    for name in ("verb", "activity"):
        if name in params and not is_iri(params[name]):
            raise _bad(f"{name} must be an IRI.")
    if "registration" in params and not is_uuid(params["registration"]):
        raise _bad("registration must be a UUID.")
    agent, hint = _agent_filter(params.get("agent"))
    return Filters(
        agent=agent,
        agent_hint=hint,
        verb=params.get("verb"),
        activity=params.get("activity"),
        registration=params.get("registration", "").lower() or None,
        related_activities=bool_param(params, "related_activities"),
        related_agents=bool_param(params, "related_agents"),
    )


def query_from_params(params: dict[str, str]) -> StatementQuery:
    return StatementQuery(
        filters=_filters(params),
        since=_time_param(params, "since"),
        until=_time_param(params, "until"),
        ascending=bool_param(params, "ascending"),
        limit=_limit_param(params.get("limit")),
        format=format_param(params),
        attachments=bool_param(params, "attachments"),
    )


def check_param_names(params: dict[str, str]) -> None:
    """Unknown names, and statementId or voidedStatementId with anything but attachments and
    format, are refused with 400 (Part Three 2.1.3)."""
    names = set(params)
    unknown = names - _FILTERS - _PRESENTATION - set(SINGLE) - {"more"}
    if unknown:
        raise _bad(f"Unknown parameter(s): {', '.join(sorted(unknown))}.")
    if "more" in names and len(names) > 1:
        raise _bad("more cannot be combined with other parameters.")
    single = names & set(SINGLE)
    if single and (len(single) > 1 or names - single - _PRESENTATION):
        raise _bad(
            "statementId and voidedStatementId cannot be combined with other parameters "
            "except attachments and format."
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
            fields["filters"] = Filters(**fields["filters"])
            return StatementQuery(**fields)
        except (InvalidCursor, KeyError, TypeError, ValueError):
            raise ProblemError(400, "unknown-cursor", "The more link is not valid here.") from None
