"""A small course on the reference server, downloaded and exported by the demo learner, and
ways to make a package from it that an importer must refuse."""

from __future__ import annotations

import base64
import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.account import Account
from desktop_app.cli.download import download_course
from desktop_app.config import Settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import RetryPolicy
from desktop_app.models import Course
from desktop_app.packages import CoursePackages
from desktop_app.packages.manifest import MANIFEST_NAME, SIGNATURE_NAME, canonical, signed_bytes
from reference_server.server import ReferenceServer

COURSE = "c-pack"
PLENTY = Settings(disk_floor_mb=0)
QUICK = RetryPolicy(attempts=3, verify_attempts=2, base_delay=0.01, max_delay=0.05, jitter=0)


@dataclass(frozen=True)
class Published:
    digests: list[str]
    data: dict[str, bytes]


def publish(server: ReferenceServer, course_id: str = COURSE) -> Published:
    """A course of three lessons: a video, a reading that compresses well, a PDF."""
    files = [
        ("a.mp4", os.urandom(300_000), "media", "video"),
        ("b.html", b"<p>Hand hygiene</p>\n" * 2000, "body", "reading"),
        ("c.pdf", os.urandom(50_000), "document", "pdf"),
    ]
    data = {server.admin.add_asset_bytes(raw): raw for _name, raw, _role, _kind in files}
    lessons = [
        {
            "id": f"l-{course_id}-{n}",
            "title": f"Lesson {n + 1}",
            "kind": kind,
            "assets": [{"sha256": digest, "role": role, "name": name}],
        }
        for n, ((name, _raw, role, kind), digest) in enumerate(zip(files, data, strict=True))
    ]
    course = {
        "id": course_id,
        "title": "Packaged course",
        "modules": [{"id": f"m-{course_id}", "title": "Module 1", "lessons": lessons}],
    }
    server.admin.add_course(course)
    return Published(list(data), data)


def download(account: Account, store: ContentStore, course_id: str = COURSE, **kw: Any) -> int:
    settings = kw.pop("settings", PLENTY)
    return download_course(
        account.api, account.db, store, course_id, settings=settings, retry=QUICK, **kw
    )


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: the store's state, to compare."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def course_ids(db: Database) -> set[str]:
    with db.session() as session:
        return set(session.scalars(Course.__table__.select().with_only_columns(Course.id)))


@dataclass(frozen=True)
class Exported:
    package: Path
    published: Published
    account: Account


@dataclass
class Elsewhere:
    """Another computer of the same learner, offline and never synced: a new cache and store
    (the key of the server is kept in the account's folder by the export)."""

    store: ContentStore
    db: Database
    packages: CoursePackages


Edit = Callable[[dict[str, Any]], None]


def rebuild(
    good: Path,
    out: Path,
    server: ReferenceServer | None,
    *,
    manifest: Edit | None = None,
    files: dict[str, bytes] | None = None,
    extra: list[zipfile.ZipInfo] | None = None,
) -> Path:
    """`good` with its manifest edited (and signed again by `server`'s key unless None), some
    files' bytes replaced, and extra entries added."""
    with zipfile.ZipFile(good) as source:
        document = json.loads(source.read(MANIFEST_NAME))
        signature = json.loads(source.read(SIGNATURE_NAME))
        contents = {name: source.read(name) for name in source.namelist()}
    if manifest is not None:
        manifest(document)
    if server is not None:
        raw = server.backend.signer.sign_bytes(signed_bytes(document))
        signature["signature"] = base64.b64encode(raw).decode()
    contents[MANIFEST_NAME] = canonical(document)
    contents[SIGNATURE_NAME] = json.dumps(signature).encode()
    for digest, raw in (files or {}).items():
        contents[f"files/{digest}"] = raw
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, raw in contents.items():
            archive.writestr(name, raw)
        for info in extra or []:
            archive.writestr(info, b"x")
    return out
