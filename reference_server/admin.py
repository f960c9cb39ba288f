"""Organiser and test operations on the published data (used in-process and by the CLI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from reference_server.accounts import upsert_users
from reference_server.asset_store import mime_type_for
from reference_server.backend import Backend
from reference_server.checkins import CheckinRecord
from reference_server.curriculum import CurriculumError, MediaResolver, course_spec, read_curriculum
from reference_server.generate import generate_catalog
from reference_server.login_limits import LoginLimits
from reference_server.models import Asset, User
from reference_server.publishing import (
    ensure_assets,
    set_published,
    update_lesson,
    update_module,
    upsert_course,
)
from reference_server.schedule_publishing import (
    remove_residency,
    set_checkin_window,
    set_enrolment,
    upsert_residency,
)
from reference_server.specs import AssetRef, ResidencySpec, UserSpec
from reference_server.users import Users

GENERATED_BODY = b"# Generated lesson\n\nPlaceholder reading used to measure catalog sync.\n"


@dataclass(frozen=True)
class LoadReport:
    users: int
    courses: int
    residencies: int
    changed_courses: int


class Admin:
    """Changes published data exactly as an organiser would; each change reaches the feeds."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._db = backend.db
        self.users = Users(backend)

    def _lookup_asset(self, sha256: str) -> tuple[int, str] | None:
        with self._db.read() as session:
            row = session.get(Asset, sha256)
            return None if row is None else (row.size, row.mime_type)

    def load_curriculum(self, path: Path | str) -> LoadReport:
        curriculum = read_curriculum(Path(path), self._backend.assets, self._lookup_asset)
        now = self._backend.clock()

        def load(session: Session) -> int:
            upsert_users(session, curriculum.users)
            changed = sum(upsert_course(session, spec, now) for spec in curriculum.courses)
            for residency in curriculum.residencies:
                upsert_residency(session, residency)
            return changed

        changed = self._db.write_retrying(load)
        counts = (len(curriculum.users), len(curriculum.courses), len(curriculum.residencies))
        return LoadReport(*counts, changed_courses=changed)

    def add_course(self, course: Mapping[str, Any], media_root: Path | str | None = None) -> None:
        """Publish (or replace) one course given in the curriculum file format. Lessons may
        also list `assets` by digest: {"sha256", "role", "name", "language"?, "mime_type"?}."""
        root = Path(media_root) if media_root is not None else None
        media = MediaResolver(self._backend.assets, root, self._lookup_asset)
        try:
            spec = course_spec(dict(course), media)
        except ValidationError as exc:
            raise CurriculumError(str(exc)) from None
        now = self._backend.clock()
        self._db.write_retrying(lambda session: upsert_course(session, spec, now))

    def add_user(
        self, username: str, password: str, display_name: str, user_id: str | None = None
    ) -> None:
        spec = UserSpec(
            id=user_id or f"u-{username}",
            username=username,
            password=password,
            display_name=display_name,
        )
        with self._db.write() as session:
            upsert_users(session, [spec])

    def add_residency(self, residency: Mapping[str, Any]) -> None:
        """Publish (or replace) a residency given in the curriculum file format."""
        spec = ResidencySpec.model_validate(dict(residency))
        self._db.write_retrying(lambda session: upsert_residency(session, spec))

    def update_lesson(self, lesson_id: str, **fields: Any) -> None:
        now = self._backend.clock()
        self._db.write_retrying(lambda session: update_lesson(session, lesson_id, fields, now))

    def update_module(self, module_id: str, *, title: str) -> None:
        now = self._backend.clock()
        self._db.write_retrying(lambda session: update_module(session, module_id, title, now))

    def unpublish_course(self, course_id: str) -> bool:
        now = self._backend.clock()
        return self._db.write_retrying(
            lambda session: set_published(session, course_id, False, now)
        )

    def publish_course(self, course_id: str) -> bool:
        now = self._backend.clock()
        return self._db.write_retrying(lambda session: set_published(session, course_id, True, now))

    def set_checkin_window(
        self, residency_id: str, opens_at: datetime, closes_at: datetime
    ) -> None:
        self._db.write_retrying(
            lambda session: set_checkin_window(session, residency_id, opens_at, closes_at)
        )

    def remove_residency(self, residency_id: str) -> None:
        self._db.write_retrying(lambda session: remove_residency(session, residency_id))

    def enrol(self, residency_id: str, username: str) -> None:
        self._set_enrolment(residency_id, username, enrolled=True)

    def withdraw(self, residency_id: str, username: str) -> None:
        self._set_enrolment(residency_id, username, enrolled=False)

    def _set_enrolment(self, residency_id: str, username: str, enrolled: bool) -> None:
        self._db.write_retrying(
            lambda session: set_enrolment(
                session, residency_id, _user_id(session, username), enrolled
            )
        )

    def list_checkins(self, residency_id: str) -> list[CheckinRecord]:
        return self._backend.checkins.list_checkins(residency_id)

    def generate_catalog(
        self, n_courses: int, lessons_per_course: int, modules_per_course: int = 5
    ) -> list[str]:
        stored = self._backend.assets.add_bytes(GENERATED_BODY)
        body = AssetRef(
            sha256=stored.sha256,
            size=stored.size,
            mime_type="text/markdown",
            role="body",
            name="lesson.md",
        )
        with self._db.write() as session:
            return generate_catalog(
                session,
                n_courses,
                lessons_per_course,
                body,
                self._backend.clock(),
                modules_per_course,
            )

    def revoke_refresh_tokens(self, username: str) -> int:
        return self._backend.authenticator.revoke_user(username)

    def set_access_token_lifetime(self, seconds: int) -> None:
        self._backend.authenticator.access_lifetime = int(seconds)

    def set_login_limits(self, limits: LoginLimits) -> None:
        self._backend.authenticator.limiter.limits = limits

    def add_asset_file(self, path: Path | str, mime_type: str | None = None) -> str:
        """Store a file in the asset store (streamed, any size); returns its SHA-256."""
        stored = self._backend.assets.add_file(Path(path))
        self._register_asset(stored.sha256, stored.size, mime_type or mime_type_for(str(path)))
        return stored.sha256

    def add_asset_bytes(self, data: bytes, mime_type: str = "application/octet-stream") -> str:
        stored = self._backend.assets.add_bytes(data)
        self._register_asset(stored.sha256, stored.size, mime_type)
        return stored.sha256

    def _register_asset(self, sha256: str, size: int, mime_type: str) -> None:
        ref = AssetRef(sha256=sha256, size=size, mime_type=mime_type, role="media", name="asset")
        self._db.write_retrying(lambda session: ensure_assets(session, [ref]))


def _user_id(session: Session, username: str) -> str:
    user_id = session.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        raise KeyError(username)
    return user_id
