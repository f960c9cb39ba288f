"""Activities, their definitions and interaction components (xAPI 1.0.3 Part Two 2.4.4.1)."""

from __future__ import annotations

from typing import Any

from reference_server.xapi_rules.formats import (
    extensions,
    fail,
    iri,
    json_object,
    language_map,
    text,
)

_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
# 2.4.4.1.s15.table2: the component lists each interactionType supports.
INTERACTION_LISTS: dict[str, tuple[str, ...]] = {
    "true-false": (),
    "choice": ("choices",),
    "fill-in": (),
    "long-fill-in": (),
    "matching": ("source", "target"),
    "performance": ("steps",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "numeric": (),
    "other": (),
}
_DEFINITION_KEYS = (
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    *_COMPONENT_LISTS,
)


def validate_activity(value: Any, where: str) -> None:
    """2.4.4.1.s1: objectType, if given, is exactly Activity; id an IRI."""
    activity = json_object(value, where, ("objectType", "id", "definition"), ("id",))
    if activity.get("objectType", "Activity") != "Activity":
        raise fail(f"{where}.objectType", "must be Activity")
    iri(activity["id"], f"{where}.id")
    if "definition" in activity:
        _definition(activity["definition"], f"{where}.definition")


def _definition(value: Any, where: str) -> None:
    definition = json_object(value, where, _DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in definition:
            language_map(definition[key], f"{where}.{key}")
    for key in ("type", "moreInfo"):
        if key in definition:
            iri(definition[key], f"{where}.{key}")
    if "extensions" in definition:
        extensions(definition["extensions"], f"{where}.extensions")
    _interaction(definition, where)


def _interaction(definition: dict[str, Any], where: str) -> None:
    """2.4.4.1.s13.b1: an interaction has a valid interactionType (exact case), and only the
    component lists its type supports; s16.b1: ids within a list are distinct."""
    used = [key for key in ("correctResponsesPattern", *_COMPONENT_LISTS) if key in definition]
    if "interactionType" not in definition:
        if used:
            raise fail(where, f"{used[0]} needs an interactionType")
        return
    kind = definition["interactionType"]
    if not isinstance(kind, str) or kind not in INTERACTION_LISTS:
        raise fail(f"{where}.interactionType", f"must be one of {', '.join(INTERACTION_LISTS)}")
    for key in used:
        if key != "correctResponsesPattern" and key not in INTERACTION_LISTS[kind]:
            raise fail(f"{where}.{key}", f"is not a component list of a {kind} interaction")
    if "correctResponsesPattern" in definition:
        _patterns(definition["correctResponsesPattern"], f"{where}.correctResponsesPattern")
    for key in INTERACTION_LISTS[kind]:
        if key in definition:
            _components(definition[key], f"{where}.{key}")


def _patterns(value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise fail(where, "must be an array of strings")
    for index, pattern in enumerate(value):
        text(pattern, f"{where}[{index}]")


def _components(value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise fail(where, "must be an array of interaction components")
    seen: set[str] = set()
    for index, item in enumerate(value):
        at = f"{where}[{index}]"
        component = json_object(item, at, ("id", "description"), ("id",))
        text(component["id"], f"{at}.id")
        if component["id"] in seen:
            raise fail(f"{at}.id", f"{component['id']!r} appears twice in the list")
        seen.add(component["id"])
        if "description" in component:
            language_map(component["description"], f"{at}.description")
