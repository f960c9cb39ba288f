"""Courses the server refused to certify, remembered so that a sync does not ask again when
nothing could have changed its answer.

A refusal (403: the learner's certificate was revoked; 404: no such course; 409: the server
does not see the course complete) is kept per course in the wallet file, with what the reply
said of why and the learner's completion of the course at the time: how many completing
statements (completed, passed) of the course the log holds and how many of them the server
has acknowledged. The course is asked for again once that completion is different (a lesson
done, a quiz passed, statements uploaded since) or a day has passed (an administrator's
change). A clock set back before the refusal asks again too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from desktop_app.api.errors import ProblemError

if TYPE_CHECKING:
    from desktop_app.db import Database

ASK_AGAIN_AFTER = timedelta(days=1)
REFUSING_STATUSES = (403, 404, 409)


@dataclass(frozen=True)
class Refusal:
    """The server's answer when the course was last asked for."""

    status: int
    kind: str  # the problem type's last part, e.g. course-not-complete ("" if none)
    reason: str  # the server's sentence, "" if it gave none
    refused_at: datetime
    completion: str  # `completions` of the course when refused

    @classmethod
    def of(cls, problem: ProblemError, completion: str, now: datetime) -> Refusal:
        kind = problem.kind if problem.type not in ("", "about:blank") else ""
        reason = (problem.detail or problem.title)[:300]  # shown to the learner as it came
        return cls(problem.status, kind, reason, now, completion)

    def stands(self, completion: str, now: datetime) -> bool:
        """Whether asking again now would only be refused again."""
        since = now - self.refused_at
        return completion == self.completion and timedelta(0) <= since < ASK_AGAIN_AFTER

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "kind": self.kind,
            "reason": self.reason,
            "refused_at": self.refused_at.isoformat(),
            "completion": self.completion,
        }


def read_refusals(document: Any) -> dict[str, Refusal]:
    """The refusals in the wallet file's `refused`; an entry that cannot be read is left out
    (its course is asked for again)."""
    refusals: dict[str, Refusal] = {}
    for course_id, entry in (document if isinstance(document, dict) else {}).items():
        try:
            refused_at = datetime.fromisoformat(entry["refused_at"])
            refusal = Refusal(
                int(entry["status"]),
                str(entry["kind"]),
                str(entry["reason"]),
                refused_at,
                str(entry["completion"]),
            )
        except (KeyError, TypeError, ValueError):
            continue
        if refused_at.tzinfo is not None:
            refusals[str(course_id)] = refusal
    return refusals


def completions(db: Database, course_ids: list[str]) -> dict[str, str]:
    """Per course, its completing statements in the log and how many the server has
    acknowledged, as `done/acknowledged` (one query)."""
    from desktop_app.models.progress import ProgressEvent
    from desktop_app.progress.state import COMPLETING_VERBS

    query = (
        select(
            ProgressEvent.course_id,
            func.count(),
            func.count(ProgressEvent.uploaded_at),
        )
        .where(
            ProgressEvent.course_id.in_(course_ids),
            ProgressEvent.verb.in_(sorted(COMPLETING_VERBS)),
        )
        .group_by(ProgressEvent.course_id)
    )
    with db.session() as session:
        counted = {row[0]: f"{row[1]}/{row[2]}" for row in session.execute(query)}
    return {course_id: counted.get(course_id, "0/0") for course_id in course_ids}
