"""Signing course packages: a client that holds a course sends the package's manifest, and the
server signs it with the key that signs attendee badges, once it has checked that every file
the manifest lists is one of the course's files, of that size.

The signed bytes are `PACKAGE_CONTEXT` followed by the SHA-256 (hex) of the manifest in its
canonical JSON form (sorted keys, no spaces), so a package signature can never pass for a
badge token's, and a client recomputes the same bytes from the manifest in the package.
"""

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from starlette.responses import Response

from reference_server.auth import AuthenticatedUser
from reference_server.backend import Backend
from reference_server.documents import course_document
from reference_server.jsonresponse import json_response
from reference_server.models import Asset, Course, Lesson, LessonAsset, Module
from reference_server.openapi import problems, reply
from reference_server.problems import ProblemError
from reference_server.schemas import PackageSignature

PACKAGE_CONTEXT = b"rounds-course-package-v1\n"
STALE_CATALOG = (
    "The course in the manifest is not the course as this server publishes it now. "
    "Sync, then export it again."
)


class SignatureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    manifest: dict[str, Any]


def canonical_manifest(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signed_bytes(manifest: dict[str, Any]) -> bytes:
    return PACKAGE_CONTEXT + hashlib.sha256(canonical_manifest(manifest)).hexdigest().encode()


def packages_router(backend: Backend, guard: Callable[..., AuthenticatedUser]) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["packages"])

    @router.post(
        "/packages/signature",
        summary="Sign a course package's manifest",
        responses={
            **reply(PackageSignature, "The manifest's signature"),
            **problems(400, 401, 404, 409, 413, 422),
        },
    )
    def sign(
        body: SignatureRequest, _user: Annotated[AuthenticatedUser, Depends(guard)]
    ) -> Response:
        manifest = body.manifest
        _check_manifest(backend, manifest)
        signature = backend.signer.sign_bytes(signed_bytes(manifest))
        document = {
            "algorithm": "Ed25519",
            "server_id": backend.server_id,
            "signature": base64.b64encode(signature).decode("ascii"),
        }
        return json_response(document)

    return router


def _check_manifest(backend: Backend, manifest: dict[str, Any]) -> None:
    if manifest.get("server_id") != backend.server_id:
        raise ProblemError(422, detail="The manifest names another server.")
    course_id = manifest.get("course_id")
    listed = _listed_files(manifest)
    with backend.db.read() as session:
        course = session.get(Course, course_id) if isinstance(course_id, str) else None
        if course is None or not course.published:
            raise ProblemError(404, detail=f"There is no course “{course_id}”.")
        if _content(manifest.get("catalog")) != _content(course_document(session, course)):
            raise ProblemError(409, detail=STALE_CATALOG)
        sizes: dict[str, int] = {
            sha: size
            for sha, size in session.execute(
                select(Asset.sha256, Asset.size)
                .join(LessonAsset, LessonAsset.sha256 == Asset.sha256)
                .join(Lesson, Lesson.id == LessonAsset.lesson_id)
                .join(Module, Module.id == Lesson.module_id)
                .where(Module.course_id == course_id)
            )
        }
    foreign = [sha for sha, size in listed.items() if sizes.get(sha) != size]
    if foreign:
        raise ProblemError(422, detail=f"The file {foreign[0][:12]} is not one of this course's.")


def _listed_files(manifest: dict[str, Any]) -> dict[str, int]:
    files = manifest.get("files")
    if not isinstance(files, list):
        raise ProblemError(422, detail="The manifest lists no files.")
    listed: dict[str, int] = {}
    for entry in files:
        if not isinstance(entry, dict) or not isinstance(entry.get("size"), int):
            raise ProblemError(422, detail="A file in the manifest has no size.")
        listed[str(entry.get("sha256"))] = entry["size"]
    return listed


def _content(course: Any) -> object:
    """What a learner reads of a course in the catalog feed's shape: every title, text and
    quiz, and each lesson's files; None if it is not in that shape. A signature vouches for
    this, so a manifest cannot carry words the server never published."""
    try:
        modules = [
            (m["id"], m["title"], m["position"], sorted(map(_lesson_content, m["lessons"])))
            for m in course["modules"]
        ]
        return (course["id"], course["title"], course["summary"] or "", course["version"], modules)
    except (KeyError, TypeError):
        return None


def _lesson_content(lesson: Any) -> tuple[object, ...]:
    assets = sorted(
        (a["sha256"], a["role"], a.get("name") or "", a.get("language") or "")
        for a in lesson["assets"]
    )
    quiz = json.dumps(lesson["quiz"], sort_keys=True)
    summary = lesson["summary"] or ""
    return (
        lesson["id"],
        lesson["title"],
        lesson["kind"],
        lesson["position"],
        summary,
        lesson["duration_seconds"] or 0,
        quiz,
        assets,
    )
