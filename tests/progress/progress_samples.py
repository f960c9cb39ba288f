"""Sample lessons, a learner's server and a clock that moves only when told to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from desktop_app.progress import LessonRef, ProgressLog

SERVER = "https://rounds.example"
START = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

VIDEO = LessonRef("l-intro", "c-foundations", "Introduction", "video")
READING = LessonRef("l-reading", "c-foundations", "Hand hygiene", "reading")
PDF = LessonRef("l-pdf", "c-foundations", "Checklist", "pdf")
QUIZ = LessonRef("l-quiz", "c-foundations", "Check your understanding", "quiz")


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


MakeLog = Callable[..., ProgressLog]
"""Opens a progress log on its own database file: `make_log(device_name, actor)`."""
