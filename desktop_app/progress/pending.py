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
from desktop_app.text import translate


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
        words = str(self.label())
        return words[0].lower() + words[1:]

    def label(self) -> str:
        """The same words standing on their own, for a label: "Progress from 3 lessons…",
        one whole sentence for each case, so that it translates."""
        if self.empty:
            return ALL_UPLOADED
        progress = "many" if self.lessons > 1 else "one" if self.lessons else "some"
        if not self.statements:
            progress = ""
        checkins = "many" if self.checkins > 1 else "one" if self.checkins else ""
        template = _WAITING[progress, checkins]
        return template.format(lessons=f"{self.lessons:,}", checkins=f"{self.checkins:,}")


ALL_UPLOADED = translate("progress", "All your progress has reached the server")
_WAITING = {
    ("one", ""): translate("progress", "Progress from 1 lesson waiting to upload"),
    ("many", ""): translate("progress", "Progress from {lessons} lessons waiting to upload"),
    ("some", ""): translate("progress", "Your progress waiting to upload"),
    ("", "one"): translate("progress", "1 check-in waiting to upload"),
    ("", "many"): translate("progress", "{checkins} check-ins waiting to upload"),
    ("one", "one"): translate(
        "progress", "Progress from 1 lesson and 1 check-in waiting to upload"
    ),
    ("one", "many"): translate(
        "progress", "Progress from 1 lesson and {checkins} check-ins waiting to upload"
    ),
    ("many", "one"): translate(
        "progress", "Progress from {lessons} lessons and 1 check-in waiting to upload"
    ),
    ("many", "many"): translate(
        "progress", "Progress from {lessons} lessons and {checkins} check-ins waiting to upload"
    ),
    ("some", "one"): translate("progress", "Your progress and 1 check-in waiting to upload"),
    ("some", "many"): translate(
        "progress", "Your progress and {checkins} check-ins waiting to upload"
    ),
}


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
