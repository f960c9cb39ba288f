"""The online courses a residency expects done beforehand, and how far the learner got."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Protocol

from desktop_app.residency.rows import PrerequisiteRow, PrerequisiteState

Completion = Callable[[str], float]  # course id -> percent complete, 0…100


class HasPercent(Protocol):
    @property
    def percent_complete(self) -> int: ...


CourseStateFn = Callable[[str, Collection[str]], HasPercent]


def progress_completion(
    course_state: CourseStateFn, lesson_ids: Callable[[str], Collection[str]]
) -> Completion:
    """Adapts the progress log's `course_state(course_id, lesson_ids)` to a `Completion`."""

    def completion(course_id: str) -> float:
        return float(course_state(course_id, lesson_ids(course_id)).percent_complete)

    return completion


def prerequisite_rows(
    course_ids: Iterable[str], titles: Mapping[str, str], completion: Completion
) -> tuple[PrerequisiteRow, ...]:
    return tuple(_row(course_id, titles, completion) for course_id in course_ids)


def _row(course_id: str, titles: Mapping[str, str], completion: Completion) -> PrerequisiteRow:
    title = titles.get(course_id)
    if title is None:
        state = PrerequisiteState.NOT_AVAILABLE
        return PrerequisiteRow(course_id, course_id, state, 0, state.value)
    percent = _percent(completion(course_id))
    if percent >= 100:
        return PrerequisiteRow(course_id, title, PrerequisiteState.DONE, 100, "done")
    if percent <= 0:
        state = PrerequisiteState.NOT_STARTED
        return PrerequisiteRow(course_id, title, state, 0, state.value)
    return PrerequisiteRow(course_id, title, PrerequisiteState.IN_PROGRESS, percent, f"{percent}%")


def _percent(value: float) -> int:
    """Rounded down, so 99.6% never reads as done."""
    if math.isnan(value):
        return 0
    return max(0, min(100, math.floor(value)))
