"""Writing a downloaded course to a signed course package (a zip)."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.api.client import ApiClient
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import UnknownCourseError, plan_download
from desktop_app.packages.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    canonical,
    manifest_document,
)
from desktop_app.packages.refusals import NOT_DOWNLOADED, UNKNOWN_COURSE, PackageError
from desktop_app.packages.server_key import request_signature


@dataclass(frozen=True)
class ExportResult:
    course_title: str
    files: int
    size: int


def export_course(
    api: ApiClient, db: Database, store: ContentStore, server_id: str, course_id: str, target: Path
) -> ExportResult:
    """Write `target`, whole or not at all; PackageError if the course is not downloaded."""
    try:
        plan = plan_download(db, store, course_id)
    except UnknownCourseError as error:
        raise PackageError(UNKNOWN_COURSE.format(course_id=course_id)) from error
    if not plan.complete:
        raise PackageError(NOT_DOWNLOADED.format(course=plan.course_title))
    with db.session() as session:
        manifest = manifest_document(session, server_id, course_id)
    signature = request_signature(api, manifest)
    _write_zip(store, manifest, {"algorithm": "Ed25519", "signature": signature}, target)
    return ExportResult(plan.course_title, len(manifest["files"]), plan.total_bytes)


def _write_zip(
    store: ContentStore, manifest: dict[str, Any], signature: dict[str, str], target: Path
) -> None:
    """Lesson media barely compresses, so files are stored as they are; the manifest is
    compressed. A temporary file beside `target` is renamed over it once complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(descriptor)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            archive.writestr(MANIFEST_NAME, canonical(manifest), zipfile.ZIP_DEFLATED)
            archive.writestr(SIGNATURE_NAME, json.dumps(signature))
            for item in manifest["files"]:
                archive.write(store.path_for(item["sha256"]), f"files/{item['sha256']}")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
