"""Loading curricula: validation, folder confinement, atomic loads, published changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reference_server import SAMPLE_CURRICULUM, ReferenceServer
from reference_server.curriculum import CurriculumError

from .testkit import Api


def _edit_lesson(curriculum: Path, field: str, value: object) -> None:
    """Changes the first lesson of c-privacy in the curriculum folder."""
    path = curriculum / "courses" / "c-privacy.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["modules"][0]["lessons"][0][field] = value
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "../outside.md", "must not leave"),
        ("body", "/etc/passwd", "relative"),
        ("body", "media/missing.md", "no such file"),
        ("kind", "hologram", "kind"),
        ("quiz", {"pass_mark": 0.5, "questions": []}, "quiz"),
    ],
)
@pytest.mark.backend_neutral
def test_bad_curricula_are_rejected_with_the_file_named(
    shared_server: ReferenceServer, curriculum: Path, field: str, value, message: str
) -> None:
    (curriculum.parent / "outside.md").write_text("secret", encoding="utf-8")
    _edit_lesson(curriculum, field, value)
    with pytest.raises(CurriculumError, match=r"c-privacy\.json") as raised:
        shared_server.admin.load_curriculum(curriculum)
    assert message in str(raised.value)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
@pytest.mark.backend_neutral
def test_a_symlink_out_of_the_folder_is_rejected(
    shared_server: ReferenceServer, curriculum: Path
) -> None:
    secret = curriculum.parent / "secret.md"
    secret.write_text("not for learners", encoding="utf-8")
    (curriculum / "media" / "linked.md").symlink_to(secret)
    _edit_lesson(curriculum, "body", "media/linked.md")
    with pytest.raises(CurriculumError, match="outside"):
        shared_server.admin.load_curriculum(curriculum)


@pytest.mark.backend_neutral
def test_a_quiz_answer_must_be_a_choice(shared_server: ReferenceServer, curriculum: Path) -> None:
    path = curriculum / "courses" / "c-foundations.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["modules"][0]["lessons"][-1]["quiz"]["questions"][0]["correct"] = ["z"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CurriculumError, match="not among the choices"):
        shared_server.admin.load_curriculum(curriculum)


def test_a_failed_load_changes_nothing(server: ReferenceServer, api: Api, curriculum: Path) -> None:
    cursor = api.feed("catalog")["next_cursor"]
    _edit_lesson(curriculum, "title", "Changed")
    residency = curriculum / "residencies" / "r-chicago.json"
    document = json.loads(residency.read_text(encoding="utf-8"))
    residency.write_text(json.dumps({**document, "enrolled": ["ana", "ghost"]}), encoding="utf-8")
    with pytest.raises(CurriculumError, match="ghost"):
        server.admin.load_curriculum(curriculum)
    assert api.feed("catalog", cursor)["items"] == []


def test_an_edited_file_republishes_only_its_course(
    server: ReferenceServer, api: Api, curriculum: Path
) -> None:
    cursor = api.feed("catalog")["next_cursor"]
    _edit_lesson(curriculum, "title", "Changed")
    assert server.admin.load_curriculum(curriculum).changed_courses == 1
    items = api.feed("catalog", cursor)["items"]
    assert [item["id"] for item in items] == ["c-privacy"]
    assert items[0]["course"]["modules"][0]["lessons"][0]["title"] == "Changed"


def test_add_course_with_assets_given_by_digest(server: ReferenceServer, api: Api) -> None:
    digest = server.admin.add_asset_bytes(b"%PDF-1.4 tiny", "application/pdf")
    server.admin.add_course(
        {
            "id": "c-extra",
            "title": "Extra",
            "modules": [
                {
                    "id": "m-extra",
                    "title": "M",
                    "lessons": [
                        {
                            "id": "l-extra",
                            "title": "Handout",
                            "kind": "pdf",
                            "assets": [
                                {"sha256": digest, "role": "document", "name": "handout.pdf"}
                            ],
                        }
                    ],
                }
            ],
        }
    )
    item = next(i for i in api.feed("catalog")["items"] if i["id"] == "c-extra")
    asset = item["course"]["modules"][0]["lessons"][0]["assets"][0]
    assert asset == {
        "sha256": digest,
        "size": 13,
        "mime_type": "application/pdf",
        "role": "document",
        "name": "handout.pdf",
    }
    assert api.get(f"/api/v1/assets/{digest}").content == b"%PDF-1.4 tiny"
    with pytest.raises(CurriculumError, match="not stored"):
        server.admin.add_course(
            {
                "id": "c-bad",
                "title": "Bad",
                "modules": [
                    {
                        "id": "m-bad",
                        "title": "M",
                        "lessons": [
                            {
                                "id": "l-bad",
                                "title": "X",
                                "kind": "pdf",
                                "assets": [
                                    {"sha256": "0" * 64, "role": "document", "name": "x.pdf"}
                                ],
                            }
                        ],
                    }
                ],
            }
        )


def test_a_lesson_id_cannot_move_into_a_second_course(server: ReferenceServer) -> None:
    course = {
        "id": "c-copy",
        "title": "Copy",
        "modules": [
            {
                "id": "m-copy",
                "title": "M",
                "lessons": [{"id": "l-privacy-read", "title": "Taken", "kind": "reading"}],
            }
        ],
    }
    with pytest.raises(CurriculumError, match="l-privacy-read"):
        server.admin.add_course(course)


@pytest.mark.skipif(not (SAMPLE_CURRICULUM / "users.json").exists(), reason="no sample curriculum")
def test_the_sample_curriculum_loads_and_serves_the_demo_learners(tmp_path: Path) -> None:
    with ReferenceServer(tmp_path / "data", curriculum=SAMPLE_CURRICULUM) as server:
        for name in ("ana", "ben"):
            learner = Api(server.url, name)
            assert learner.feed("catalog")["items"]
            assert learner.feed("schedule")["items"]
