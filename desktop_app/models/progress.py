"""What the learner did: the append-only progress log and queued check-ins.

Neither table refers to the catalog by foreign key: a course removed from the server must
never take the learner's history with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.models.base import Base, UTCDateTime

PENDING_SQL = "uploaded_at IS NULL AND quarantined_reason IS NULL"


class ProgressEvent(Base):
    """One xAPI statement, stored exactly as it will be (or was) sent."""

    __tablename__ = "progress_event"
    __table_args__ = (
        # Only the rows still to send, in the order they are sent: the outbox reads its next
        # batch from the front and counts what waits without touching the uploaded history.
        Index(
            "ix_progress_event_pending_seq",
            "seq",
            "lesson_id",
            sqlite_where=text(PENDING_SQL),
        ),
        Index("ix_progress_event_lesson", "lesson_id", "occurred_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    lesson_id: Mapped[str] = mapped_column(String(100), default="")
    course_id: Mapped[str] = mapped_column(String(100), default="", index=True)
    verb: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    statement_json: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(10), default="local")
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    quarantined_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class UploadHold(Base):
    """A pending statement a proxy or firewall stopped on its own: not offered for upload
    before `not_before`, which grows with each run it is stopped again.

    A table of its own rather than columns of the log, so the log's rows (and their salvage
    from a damaged cache) stay as they were; losing a hold only means one early retry.
    """

    __tablename__ = "upload_hold"

    statement_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer)


class CheckIn(Base):
    __tablename__ = "checkin"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    residency_id: Mapped[str] = mapped_column(String(100), index=True)
    code: Mapped[str] = mapped_column(String(100))
    device_time: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    message: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
