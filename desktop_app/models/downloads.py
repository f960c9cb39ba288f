"""The persisted download queue: one `download_job` row per (asset, course that asked for it)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.models.base import Base, UTCDateTime


class DownloadState(StrEnum):
    """Where one queued file stands; stored as its value in `download_job.state`."""

    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    FAILED = "failed"
    DONE = "done"


class DownloadJob(Base):
    __tablename__ = "download_job"
    __table_args__ = (
        UniqueConstraint("sha256", "course_id", name="uq_download_job_sha256_course"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    course_id: Mapped[str] = mapped_column(String(100), index=True)
    size: Mapped[int] = mapped_column(Integer)
    bytes_done: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(10), index=True, default=DownloadState.QUEUED)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
