"""What the Review page shows, read in one go on a worker: the schedule, the questions due now
and the titles of the courses they come from. Replaying a long history through FSRS takes a
tenth of a second, so the page never reads on the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from desktop_app.review import ReviewItem, ReviewQueue, Schedule


@dataclass(frozen=True)
class ReviewReading:
    schedule: Schedule
    due: tuple[ReviewItem, ...]  # the longest overdue first
    titles: Mapping[str, str]  # course id -> its title, for every course in the schedule

    def title(self, course_id: str) -> str:
        return self.titles.get(course_id, course_id)

    def answered(self, iri: str) -> ReviewReading:
        """The same reading with the question `iri` answered: FSRS puts an answered question
        a day or more ahead, so it is no longer due."""
        return replace(self, due=tuple(i for i in self.due if i.question.iri != iri))


def read_review(queue: ReviewQueue, course_title: Callable[[str], str]) -> ReviewReading:
    """The reading of `queue`, with each course's title from `course_title` (a cache read)."""
    schedule = queue.schedule()
    due = tuple(schedule.due(queue.now()))
    titles = {course_id: course_title(course_id) for course_id in schedule.courses()}
    return ReviewReading(schedule, due, titles)
