"""What this computer holds that the server has not confirmed yet, counted once for every screen.

The status bar, the Progress page, sign-out and `python -m desktop_app status` all read this
one count, so they never disagree. It covers statements recorded here and those imported from
a progress file (neither uploaded nor set aside), and check-ins queued while offline. The
learner is told about lessons, not statements: one lesson makes dozens of statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from desktop_app.models import CheckIn, ProgressEvent
from desktop_app.progress.store import pending_filter


@dataclass(frozen=True)
class Pending:
    lessons: int = 0
    statements: int = 0
    checkins: int = 0

    @property
    def empty(self) -> bool:
        return self.statements == 0 and self.checkins == 0

    def __str__(self) -> str:
        """In the learner's words: "progress from 3 lessons and 1 check-in waiting to upload"."""
        if self.empty:
            return "all your progress has reached the server"
        parts = [self._progress(), _count(self.checkins, "check-in") if self.checkins else ""]
        return " and ".join(part for part in parts if part) + " waiting to upload"

    def label(self) -> str:
        """The same words standing on their own, for a label: "Progress from 3 lessons…"."""
        words = str(self)
        return words[0].upper() + words[1:]

    def _progress(self) -> str:
        if self.lessons:
            return f"progress from {_count(self.lessons, 'lesson')}"
        return "your progress" if self.statements else ""


def read_pending(session: Session) -> Pending:
    """The one count of what waits for upload, read in one session."""
    lessons = func.count(distinct(ProgressEvent.lesson_id)).filter(ProgressEvent.lesson_id != "")
    statements = session.execute(
        select(lessons, func.count()).select_from(ProgressEvent).where(pending_filter())
    ).one()
    checkins = session.scalar(
        select(func.count()).select_from(CheckIn).where(CheckIn.status == "pending")
    )
    return Pending(int(statements[0]), int(statements[1]), int(checkins or 0))


def _count(number: int, singular: str) -> str:
    return f"{number:,} {singular}" + ("" if number == 1 else "s")
