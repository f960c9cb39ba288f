"""Residencies (the one-day in-person course), their agenda and the user's enrolment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.models.base import Base, UTCDateTime


class Residency(Base):
    __tablename__ = "residency"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    venue_name: Mapped[str] = mapped_column(String(300), default="")
    venue_address: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checkin_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    checkin_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    prerequisites_json: Mapped[str] = mapped_column(Text, default="[]")

    sessions: Mapped[list[ResidencySession]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ResidencySession.starts_at"
    )
    enrolment: Mapped[Enrolment | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )


class ResidencySession(Base):
    __tablename__ = "residency_session"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    residency_id: Mapped[str] = mapped_column(
        ForeignKey("residency.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    room: Mapped[str] = mapped_column(String(200), default="")
    faculty_json: Mapped[str] = mapped_column(Text, default="[]")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Enrolment(Base):
    __tablename__ = "enrolment"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    residency_id: Mapped[str] = mapped_column(
        ForeignKey("residency.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(30), default="enrolled")
    badge_token: Mapped[str] = mapped_column(Text, default="")
