"""The `format` of returned statements (xAPI 1.0.3 Part Three 2.1.3): `exact` as stored,
`ids` with Agents, Groups, Activities and Verbs reduced to what identifies them, `canonical`
with one language of each language map, the one the request's Accept-Language prefers."""

from __future__ import annotations

from typing import Any

_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_LANGUAGE_MAPS = ("display", "name", "description")


def _agent_ids(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    reduced = {key: agent[key] for key in ("objectType", *_IFIS) if key in agent}
    if agent.get("objectType") == "Group" and not any(ifi in agent for ifi in _IFIS):
        reduced["member"] = [_agent_ids(member) for member in agent.get("member", [])]
    return reduced


def _object_ids(target: Any) -> Any:
    if not isinstance(target, dict):
        return target
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": target.get("id")}
    if kind in ("Agent", "Group"):
        return _agent_ids(target)
    if kind == "SubStatement":
        return _statement_ids(target)
    return target


def _context_ids(context: Any) -> Any:
    if not isinstance(context, dict):
        return context
    reduced = dict(context)
    for key in ("instructor", "team"):
        if key in reduced:
            reduced[key] = _agent_ids(reduced[key])
    groups = reduced.get("contextActivities")
    if isinstance(groups, dict):
        reduced["contextActivities"] = {
            name: [_object_ids(item) for item in items] if isinstance(items, list) else items
            for name, items in groups.items()
        }
    return reduced


def _statement_ids(statement: dict[str, Any]) -> dict[str, Any]:
    reduced = dict(statement)
    for key in ("actor", "authority"):
        if key in reduced:
            reduced[key] = _agent_ids(reduced[key])
    if isinstance(reduced.get("verb"), dict):
        reduced["verb"] = {"id": reduced["verb"].get("id")}
    reduced["object"] = _object_ids(reduced.get("object"))
    if "context" in reduced:
        reduced["context"] = _context_ids(reduced["context"])
    return reduced


def accepted_languages(header: str | None) -> list[str]:
    """The Accept-Language tags in order of preference (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, parameters = item.strip().partition(";")
        weight = 1.0
        if parameters.strip().lower().startswith("q="):
            try:
                weight = float(parameters.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag and weight > 0:
            ranked.append((-weight, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def _pick(language_map: dict[str, Any], preferred: list[str]) -> dict[str, Any]:
    if len(language_map) <= 1:
        return language_map
    by_lower = {key.lower(): key for key in language_map}
    for wanted in preferred:
        if wanted == "*":
            break
        if wanted in by_lower:
            return {by_lower[wanted]: language_map[by_lower[wanted]]}
        for lower, key in by_lower.items():
            if lower.startswith(wanted + "-") or wanted.startswith(lower + "-"):
                return {key: language_map[key]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def _canonical(value: Any, preferred: list[str]) -> Any:
    if isinstance(value, list):
        return [_canonical(item, preferred) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key == "extensions":
            result[key] = item
        elif key in _LANGUAGE_MAPS and isinstance(item, dict):
            result[key] = _pick(item, preferred)
        else:
            result[key] = _canonical(item, preferred)
    return result


def formatted(statement: dict[str, Any], how: str, accept_language: str | None) -> dict[str, Any]:
    """`statement` in format `how` (ids, exact or canonical)."""
    if how == "ids":
        return _statement_ids(statement)
    if how == "canonical":
        result = _canonical(statement, accepted_languages(accept_language))
        assert isinstance(result, dict)
        return result
    return statement
