"""A quiz attempt's questions as xAPI interactions, so a learning record store can analyse them.

Each question is an activity of type cmi.interaction (`<quiz lesson IRI>/question/<id>`) with
interactionType `choice`, its choices and the correct responses pattern; each answer is an
`answered` statement whose `result.response` is the chosen ids joined by `[,]` and whose
`result.success` says whether the answer was right. The statements have the quiz as their
parent and the course as their grouping, and the course's registration.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from desktop_app.progress.quiz_scoring import Question
from desktop_app.progress.xapi import (
    ANSWERED,
    INTERACTION_TYPE,
    UNDETERMINED,
    LessonRef,
    Statement,
    StatementBuilder,
)

RESPONSE_SEPARATOR = "[,]"


def choice_response(choices: Sequence[str]) -> str:
    """Chosen ids in the xAPI response format: sorted, each once, joined by `[,]`."""
    return RESPONSE_SEPARATOR.join(sorted(set(choices)))


def question_iri(builder: StatementBuilder, lesson: LessonRef, question: Question) -> str:
    return f"{builder.lesson_iri(lesson.lesson_id)}/question/{quote(question.id, safe='')}"


def question_activity(
    builder: StatementBuilder, lesson: LessonRef, question: Question
) -> dict[str, Any]:
    """The question as a cmi.interaction activity of interactionType `choice`."""
    definition: dict[str, Any] = {
        "type": INTERACTION_TYPE,
        "interactionType": "choice",
        "correctResponsesPattern": [choice_response(sorted(question.correct))],
        "choices": [
            {"id": choice.id, "description": {UNDETERMINED: choice.text}}
            for choice in question.choices
        ],
    }
    if question.prompt:
        definition["description"] = {UNDETERMINED: question.prompt}
    return {
        "objectType": "Activity",
        "id": question_iri(builder, lesson, question),
        "definition": definition,
    }


def answered_statement(
    builder: StatementBuilder,
    lesson: LessonRef,
    question: Question,
    chosen: Sequence[str],
    at: datetime,
) -> Statement:
    """The learner's answer to one question."""
    result = {
        "response": choice_response(chosen),
        "success": frozenset(chosen) == question.correct,
    }
    context = {
        "contextActivities": {
            "parent": [builder.lesson_activity(lesson)],
            "grouping": [builder.course_activity(lesson)],
        }
    }
    activity = question_activity(builder, lesson, question)
    return builder.statement(activity, ANSWERED, at, lesson, context, result)
