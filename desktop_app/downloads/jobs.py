"""The persisted download queue: one `download_job` row per (asset, course that asked for it).

Rows survive a restart: a row left `running` by a crash goes back to `queued`, and its partial
file lets the download resume where it stopped. Rows in state `done` stay as the record of
which course asked for which file; storage keeps a shared file while such a row needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update

from desktop_app.db import Database
from desktop_app.models.downloads import DownloadJob, DownloadState
from desktop_app.text import translate


@dataclass(frozen=True)
class JobRecord:
    """One row of the queue, detached from any session."""

    id: int
    sha256: str
    course_id: str
    size: int
    bytes_done: int
    state: DownloadState
    error: str
    attempts: int


UNKNOWN_STATE = translate(
    "downloads", "The download queue held this file in a state Rounds does not know."
)


def _record(row: DownloadJob) -> JobRecord:
    known = row.state in DownloadState
    return JobRecord(
        row.id,
        row.sha256,
        row.course_id,
        row.size,
        row.bytes_done,
        DownloadState(row.state) if known else DownloadState.FAILED,
        row.error if known else UNKNOWN_STATE,
        row.attempts,
    )


class JobTable:
    """Short units of work on `download_job`; the download manager serialises the writes."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def load(self) -> list[JobRecord]:
        """Every row, oldest first; rows a crash left `running` are queued again.

        A state this version does not know (a damaged or newer cache) reads as failed, so the
        learner sees the file and can retry it; the row itself is left as it is."""
        with self._db.session() as session:
            session.execute(
                update(DownloadJob)
                .where(DownloadJob.state == DownloadState.RUNNING)
                .values(state=DownloadState.QUEUED)
            )
            rows = session.scalars(select(DownloadJob).order_by(DownloadJob.id)).all()
            return [_record(row) for row in rows]

    def add(self, course_id: str, assets: Iterable[tuple[str, int, bool]]) -> list[JobRecord]:
        """Queue (sha256, size, present) for `course_id`; present files are recorded as done.

        An existing row that is not done is queued again; a done row stays done."""
        now = datetime.now(UTC)
        with self._db.session() as session:
            existing = {
                row.sha256: row
                for row in session.scalars(
                    select(DownloadJob).where(DownloadJob.course_id == course_id)
                )
            }
            for sha256, size, present in assets:
                row = existing.get(sha256)
                if row is None:
                    row = DownloadJob(sha256=sha256, course_id=course_id, created_at=now)
                    session.add(row)
                row.size, row.error, row.attempts = size, "", 0
                row.state = DownloadState.DONE if present else DownloadState.QUEUED
                row.bytes_done = size if present else 0
            session.flush()
            rows = session.scalars(
                select(DownloadJob).where(DownloadJob.course_id == course_id)
            ).all()
            return [_record(row) for row in rows]

    def set_state(
        self,
        job_ids: Iterable[int],
        state: DownloadState,
        error: str = "",
        *,
        reset_attempts: bool = False,
    ) -> None:
        values: dict[str, object] = {"state": state, "error": error}
        if reset_attempts:
            values["attempts"] = 0
        with self._db.session() as session:
            session.execute(
                update(DownloadJob).where(DownloadJob.id.in_(list(job_ids))).values(**values)
            )

    def set_done(self, sha256: str) -> None:
        """Every row of `sha256` is done: one download serves each course that asked for it."""
        with self._db.session() as session:
            session.execute(
                update(DownloadJob)
                .where(DownloadJob.sha256 == sha256)
                .values(state=DownloadState.DONE, error="", bytes_done=DownloadJob.size)
            )

    def record_attempt(self, job_id: int, bytes_done: int) -> None:
        with self._db.session() as session:
            session.execute(
                update(DownloadJob)
                .where(DownloadJob.id == job_id)
                .values(attempts=DownloadJob.attempts + 1, bytes_done=bytes_done)
            )

    def set_bytes(self, job_id: int, bytes_done: int) -> None:
        with self._db.session() as session:
            session.execute(
                update(DownloadJob).where(DownloadJob.id == job_id).values(bytes_done=bytes_done)
            )

    def delete(self, job_ids: Iterable[int]) -> None:
        with self._db.session() as session:
            session.execute(delete(DownloadJob).where(DownloadJob.id.in_(list(job_ids))))
