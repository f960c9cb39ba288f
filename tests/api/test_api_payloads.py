"""Strict parsing of what the server sends: anything off is a BadPayloadError naming it."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.api.documents import CourseDoc, parse_course, parse_residency
from desktop_app.api.errors import BadPayloadError
from desktop_app.api.payloads import Tombstone, parse_feed_page, parse_sign_in

SHA = "ab" * 32


def course_item() -> dict[str, Any]:
    quiz = {
        "pass_mark": 0.8,
        "questions": [
            {
                "id": "q1",
                "prompt": "Which?",
                "multiple": False,
                "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
                "correct": ["b"],
                "feedback": "Because.",
            }
        ],
    }
    lessons = [
        {
            "id": "l-1",
            "title": "Intro",
            "kind": "video",
            "position": 0,
            "summary": "",
            "duration_seconds": 42,
            "assets": [
                {"sha256": SHA, "size": 10, "mime_type": "video/mp4", "role": "media", "name": "a"}
            ],
            "quiz": None,
        },
        {"id": "l-2", "title": "Quiz", "kind": "quiz", "position": 1, "assets": [], "quiz": quiz},
    ]
    course = {
        "id": "c-1",
        "title": "Course",
        "summary": "S",
        "version": 3,
        "updated_at": "2026-11-20T10:00:00Z",
        "modules": [{"id": "m-1", "title": "M", "position": 0, "lessons": lessons}],
    }
    return {"type": "course", "id": "c-1", "deleted": False, "course": course}


def page_of(*items: Any) -> dict[str, Any]:
    return {"items": list(items), "next_cursor": "abc", "has_more": False}


def parse_catalog(value: Any) -> Any:
    return parse_feed_page(value, "course", parse_course, "catalog")


def test_a_valid_page_parses_into_documents_and_tombstones() -> None:
    tombstone = {"type": "course", "id": "c-2", "deleted": True}
    page = parse_catalog(page_of(course_item(), tombstone))
    course, gone = page.items
    assert isinstance(course, CourseDoc) and gone == Tombstone("course", "c-2")
    lesson = course.modules[0].lessons[0]
    assert lesson.assets[0].sha256 == SHA and course.updated_at is not None
    assert json.loads(course.modules[0].lessons[1].quiz_json or "")["pass_mark"] == 0.8


def _set(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    item = copy.deepcopy(course_item())
    target: Any = item
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return item


LESSON = ("course", "modules", 0, "lessons", 0)


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("course", "title"), 7, "title"),
        (("course", "version"), "3", "version"),
        (("course", "modules"), KeyError, "modules"),
        (("course", "id"), "c-other", "c-1"),
        (("course", "updated_at"), "yesterday", "updated_at"),
        ((*LESSON, "kind"), "hologram", "kind"),
        ((*LESSON, "duration_seconds"), -5, "duration_seconds"),
        ((*LESSON, "assets", 0, "sha256"), "../../etc/passwd", "SHA-256"),
        ((*LESSON, "assets", 0, "size"), True, "size"),
        (("course", "modules", 0, "lessons", 1, "quiz"), None, "quiz"),
        (("course", "modules", 0, "lessons", 1, "quiz", "pass_mark"), 80, "pass mark"),
        (("deleted",), "no", "deleted"),
        (("type",), "residency", "type"),
    ],
)
def test_each_kind_of_wrong_data_is_named(path: tuple[Any, ...], value: Any, named: str) -> None:
    with pytest.raises(BadPayloadError) as caught:
        parse_catalog(page_of(_set(path, value)))
    assert named in caught.value.message
    assert caught.value.message.startswith("The server sent data this app cannot read")


def test_a_residency_in_an_unknown_time_zone_is_refused() -> None:
    residency = {
        "id": "r-1",
        "title": "R",
        "version": 1,
        "venue": {"name": "V", "address": "", "timezone": "Mars/Olympus_Mons"},
        "starts_at": "2027-03-14T14:00:00Z",
        "ends_at": "2027-03-14T23:00:00Z",
        "sessions": [],
        "enrolment": None,
    }
    with pytest.raises(BadPayloadError, match="time zone"):
        parse_residency(residency, "schedule item 1")


def test_a_sign_in_reply_without_tokens_is_refused() -> None:
    reply = {"token_type": "Bearer", "expires_in": 900, "user": {"id": "u", "username": "a"}}
    with pytest.raises(BadPayloadError, match="access_token"):
        parse_sign_in(reply)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["items", "type", "id", "course", "deleted"]), children)
    ),
    max_leaves=20,
)


@settings(max_examples=120, deadline=None)
@given(JSON)
def test_no_json_whatsoever_breaks_the_parser_with_anything_but_bad_payload(value: Any) -> None:
    with contextlib.suppress(BadPayloadError):
        parse_catalog(value)
