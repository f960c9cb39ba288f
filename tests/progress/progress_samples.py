"""Sample lessons, a learner's server, a clock that moves only when told to, a device's progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desktop_app.db import Database
from desktop_app.progress import (
    Actor,
    LessonRef,
    OutboxQueue,
    ProgressExchange,
    ProgressLog,
    activity_base_for,
)

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


@dataclass(frozen=True)
class Device:
    """One computer's progress as `Study` wires it: the log, its outbox queue, its exchange."""

    log: ProgressLog
    queue: OutboxQueue
    exchange: ProgressExchange


def progress_on(db: Database, actor: Actor, clock: Callable[[], datetime]) -> Device:
    log = ProgressLog(db, actor, activity_base_for(SERVER), clock)
    return Device(log, OutboxQueue(db), ProgressExchange(db, actor, clock))


MakeDevice = Callable[..., Device]
"""Opens a device's progress on its own database file: `make_device(device_name, actor)`."""
