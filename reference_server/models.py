"""ORM models: users and tokens, the published catalog and schedule, check-ins, statements.

Every document the delta feeds publish (a course, a residency, an enrolment) carries `seq`,
the value of the global change counter at its latest change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reference_server.db import Base, UtcDateTime

ID = String(128)
HASH = String(64)


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    display_name: Mapped[str] = mapped_column(String(256))
    password_salt: Mapped[bytes] = mapped_column(LargeBinary(32))  # empty for argon2id
    password_hash: Mapped[bytes] = mapped_column(LargeBinary)  # argon2id: the encoded hash
    # the learner's own e-mail address, lower case (learner_identity.mail_address); a learning
    # record store joins statements to people by it when the server names learners by mail
    email: Mapped[str | None] = mapped_column(String(254), index=True, unique=True, default=None)


class DisabledUser(Base):
    """A user who may no longer sign in (a table of its own, so databases made before it gain
    it at start)."""

    __tablename__ = "disabled_users"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    disabled_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LoginFailures(Base):
    """Failed sign-ins counted per key ("user:NAME" or "address:IP") since `window_start`, in
    the database so that every worker counts alike."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime)


class AccessToken(Base):
    __tablename__ = "access_tokens"

    token_hash: Mapped[str] = mapped_column(HASH, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(HASH, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    content_hash: Mapped[str] = mapped_column(HASH, default="")


class Module(Base):
    __tablename__ = "modules"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class Lesson(Base):
    __tablename__ = "lessons"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    module_id: Mapped[str] = mapped_column(ForeignKey("modules.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quiz: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Asset(Base):
    __tablename__ = "assets"

    sha256: Mapped[str] = mapped_column(HASH, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(128))


class LessonAsset(Base):
    __tablename__ = "lesson_assets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("assets.sha256"))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(256))
    mime_type: Mapped[str] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(35), nullable=True)


class Residency(Base):
    __tablename__ = "residencies"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    venue_name: Mapped[str] = mapped_column(Text)
    venue_address: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checkin_opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checkin_closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checkin_code: Mapped[str] = mapped_column(String(128))
    prerequisites: Mapped[list[str]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    content_hash: Mapped[str] = mapped_column(HASH, default="")


class ResidencySession(Base):
    __tablename__ = "residency_sessions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    residency_id: Mapped[str] = mapped_column(ForeignKey("residencies.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    room: Mapped[str] = mapped_column(String(256), default="")
    faculty: Mapped[list[str]] = mapped_column(JSON)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    position: Mapped[int] = mapped_column(Integer)


class Enrolment(Base):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("residency_id", "user_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    residency_id: Mapped[str] = mapped_column(ForeignKey("residencies.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="enrolled")
    seq: Mapped[int] = mapped_column(BigInteger, index=True)


class Checkin(Base):
    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("residency_id", "user_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    residency_id: Mapped[str] = mapped_column(ForeignKey("residencies.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    device_time: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Statement(Base):
    __tablename__ = "statements"
    __table_args__ = (Index("ix_statements_user_seq", "user_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    actor_key: Mapped[str] = mapped_column(HASH, index=True)
    verb_id: Mapped[str] = mapped_column(Text)
    activity_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    registration: Mapped[str | None] = mapped_column(String(36), nullable=True)
    stored: Mapped[datetime] = mapped_column(UtcDateTime)
    content_hash: Mapped[str] = mapped_column(HASH)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)


class StatementAttachment(Base):
    """The raw content of a statement attachment, once per SHA-2 (xAPI attachments are
    matched to their statements by the hash alone)."""

    __tablename__ = "statement_attachments"
    sha2: Mapped[str] = mapped_column(String(128), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class IssuedCertificate(Base):
    """A course certificate issued to a learner: its id is the same whenever the learner asks
    again for the same course; a revoked one stays, with when it was revoked."""

    __tablename__ = "certificates"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(ID)
    token: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
