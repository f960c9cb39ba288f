"""The server signs a package's manifest only for its own course files, and only for a
signed-in user: its signature says the files are the course's, not just that someone asked."""

from __future__ import annotations

from typing import Any

import pytest
from packages_samples import COURSE, publish

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import ApiError, ProblemError
from desktop_app.packages.server_key import request_signature
from reference_server.documents import course_document
from reference_server.models import Course
from reference_server.server import ReferenceServer


def _catalog(server: ReferenceServer) -> dict[str, Any]:
    """The course as the server publishes it, in the catalog feed's shape ({} before)."""
    with server.backend.db.read() as session:
        course = session.get(Course, COURSE)
        return {} if course is None else course_document(session, course)


def _manifest(server: ReferenceServer, files: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "rounds-course-package",
        "version": 1,
        "server_id": server.backend.server_id,
        "course_id": COURSE,
        "files": files,
        "catalog": _catalog(server),
    }


def test_the_course_files_are_signed(reference_server: ReferenceServer, client: ApiClient) -> None:
    published = publish(reference_server)
    files = [{"sha256": d, "size": len(raw)} for d, raw in published.data.items()]
    assert request_signature(client, _manifest(reference_server, files))


@pytest.mark.parametrize(
    "change",
    [
        "a file of no course",
        "a wrong size",
        "another server",
        "an unknown course",
        "a lesson retitled",
        "no catalog",
    ],
)
def test_a_manifest_that_is_not_the_courses_is_not_signed(
    change: str, reference_server: ReferenceServer, client: ApiClient
) -> None:
    published = publish(reference_server)
    files: list[dict[str, Any]] = [
        {"sha256": d, "size": len(raw)} for d, raw in published.data.items()
    ]
    manifest = _manifest(reference_server, files)
    if change == "a file of no course":
        files.append({"sha256": "ee" * 32, "size": 10})
    elif change == "a wrong size":
        files[0]["size"] += 1
    elif change == "another server":
        manifest["server_id"] = "elsewhere"
    elif change == "a lesson retitled":  # words the server never published, signed as its own
        manifest["catalog"]["modules"][0]["lessons"][0]["title"] = "Give twice the dose"
    elif change == "no catalog":
        manifest["catalog"] = {}
    else:
        manifest["course_id"] = "c-nothing"
    with pytest.raises(ProblemError) as refused:
        request_signature(client, manifest)
    assert refused.value.status in (404, 409, 422)


def test_nobody_signed_in_gets_no_signature(reference_server: ReferenceServer) -> None:
    anonymous = ApiClient(reference_server.url)
    try:
        with pytest.raises(ApiError):
            request_signature(anonymous, _manifest(reference_server, []))
    finally:
        anonymous.close()
