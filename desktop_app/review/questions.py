"""A question to review, read back from the statement that recorded an answer to it.

The answered statement carries the whole question (a cmi.interaction activity of
interactionType `choice` with its prompt, choices and correct responses pattern), so a device
can review a question answered on another one without the course on its disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from desktop_app.progress.interactions import RESPONSE_SEPARATOR
from desktop_app.progress.xapi import INTERACTION_TYPE, Statement


@dataclass(frozen=True)
class ReviewChoice:
    id: str
    text: str


@dataclass(frozen=True)
class ReviewQuestion:
    """One question: its activity IRI, where it comes from, and what answers it right."""

    iri: str
    course_id: str
    lesson_id: str
    prompt: str
    choices: tuple[ReviewChoice, ...]
    correct: frozenset[str]
    activity: dict[str, Any]
    parent: dict[str, Any]
    grouping: dict[str, Any]

    @property
    def multiple(self) -> bool:
        return len(self.correct) != 1

    def is_right(self, chosen: frozenset[str]) -> bool:
        return chosen == self.correct


def question_of(statement: Statement) -> ReviewQuestion | None:
    """The question an answered statement is about, or None if it is not a choice question
    under a quiz lesson and a course."""
    activity = statement.get("object")
    if not isinstance(activity, dict):
        return None
    definition = activity.get("definition")
    if not isinstance(definition, dict) or definition.get("type") != INTERACTION_TYPE:
        return None
    if definition.get("interactionType") != "choice":
        return None
    parent = _context_activity(statement, "parent")
    grouping = _context_activity(statement, "grouping")
    lesson_id, course_id = _id_in(parent, "lesson"), _id_in(grouping, "course")
    choices, correct = _choices(definition), _correct(definition)
    if not (lesson_id and course_id and choices and correct):
        return None
    return ReviewQuestion(
        iri=str(activity["id"]),
        course_id=course_id,
        lesson_id=lesson_id,
        prompt=_text(definition.get("description")),
        choices=choices,
        correct=correct,
        activity=activity,
        parent=parent,
        grouping=grouping,
    )


def _context_activity(statement: Statement, kind: str) -> dict[str, Any]:
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    found = activities.get(kind) if isinstance(activities, dict) else None
    if isinstance(found, list):
        found = found[0] if found else None
    return found if isinstance(found, dict) else {}


def _id_in(activity: dict[str, Any], kind: str) -> str:
    iri = activity.get("id")
    if not isinstance(iri, str):
        return ""
    segments = urlsplit(iri).path.split("/")
    if len(segments) >= 2 and segments[-2] == kind and segments[-1]:
        return unquote(segments[-1])
    return ""


def _text(language_map: Any) -> str:
    if not isinstance(language_map, dict) or not language_map:
        return ""
    return str(next(iter(language_map.values())))


def _choices(definition: dict[str, Any]) -> tuple[ReviewChoice, ...]:
    raw = definition.get("choices")
    if not isinstance(raw, list):
        return ()
    choices = [
        ReviewChoice(str(item["id"]), _text(item.get("description")))
        for item in raw
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]
    return tuple(choices)


def _correct(definition: dict[str, Any]) -> frozenset[str]:
    patterns = definition.get("correctResponsesPattern")
    if not isinstance(patterns, list) or not patterns or not isinstance(patterns[0], str):
        return frozenset()
    return frozenset(part for part in patterns[0].split(RESPONSE_SEPARATOR) if part)
