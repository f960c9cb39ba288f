"""The course list and the course its page shows, read together off the UI thread.

After a sync the window re-reads the list; reading the shown course's lessons in the same job,
and comparing the new rows with the shown ones there too, leaves the UI thread only Qt's part:
the changed rows redrawn, and the page filled from rows already read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.catalog.rows import CourseRow

if TYPE_CHECKING:  # the library imports SQLAlchemy, which the window paints without
    from desktop_app.catalog.library import CourseDetail

Runs = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class RowChanges:
    """`rows` as they differ from `before`, the rows the list showed when they were read.

    `runs` are the (first, last) rows that changed, when the courses and their order are the
    same as before; None when courses came or went, or moved."""

    before: tuple[CourseRow, ...]
    rows: tuple[CourseRow, ...]
    runs: Runs | None


def compare(before: tuple[CourseRow, ...], rows: tuple[CourseRow, ...]) -> RowChanges:
    if (
        not before
        or len(before) != len(rows)
        or any(old.id != new.id for old, new in zip(before, rows, strict=True))
    ):
        return RowChanges(before, rows, None)
    pairs = enumerate(zip(before, rows, strict=True))
    changed = [number for number, (old, new) in pairs if old != new]
    runs: list[tuple[int, int]] = []
    for number in changed:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return RowChanges(before, rows, tuple(runs))


@dataclass(frozen=True)
class CourseListing:
    """The new course list, and the course the page is to show (`course_id`: the one shown
    when the read began, else the first) with its lessons, None if it is gone."""

    changes: RowChanges
    course_id: str
    detail: CourseDetail | None


def read_listing(
    courses: Callable[[], list[CourseRow]],
    course: Callable[[str], CourseDetail | None],
    shown: tuple[CourseRow, ...],
    course_id: str,
) -> CourseListing:
    """On a worker: the list (compared with `shown`) and the page's course, read together."""
    rows = tuple(courses())
    wanted = course_id or (rows[0].id if rows else "")
    detail = course(wanted) if wanted else None
    return CourseListing(compare(shown, rows), wanted, detail)
