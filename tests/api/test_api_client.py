"""The typed endpoints against the reference server: sign-in, feeds, check-ins, statements."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.api.client import ApiClient
from desktop_app.api.documents import CourseDoc, ResidencyDoc
from desktop_app.api.errors import AuthenticationError, ProblemError
from desktop_app.api.payloads import Tombstone
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.xapi import rounds_server_endpoint
from reference_server.server import ReferenceServer


def test_sign_in_returns_the_user_and_stores_the_tokens(reference_server: ReferenceServer) -> None:
    store = MemoryTokenStore()
    api = ApiClient(reference_server.url, tokens=store, config=FAST_NETWORK)
    signed_in = api.sign_in(DEMO_USER, DEMO_PASSWORD)
    assert signed_in.user.username == "ana"
    assert signed_in.user.display_name == "Ana Ortiz"
    assert store.load() == signed_in.tokens
    assert signed_in.tokens.expires_at > datetime.now(UTC)
    assert signed_in.tokens.access_token not in repr(signed_in)
    assert signed_in.tokens.refresh_token not in repr(signed_in)
    api.close()


def test_a_wrong_password_is_told_in_plain_words(reference_server: ReferenceServer) -> None:
    api = ApiClient(reference_server.url, config=FAST_NETWORK)
    with pytest.raises(AuthenticationError, match="did not accept this username and password"):
        api.sign_in(DEMO_USER, "not-the-password")
    api.close()


def test_the_catalog_feed_pages_through_every_course(client: ApiClient) -> None:
    first = client.catalog_page(limit=2)
    assert len(first.items) == 2 and first.has_more
    rest = client.catalog_page(first.next_cursor, limit=2)
    courses = [item for item in (*first.items, *rest.items) if isinstance(item, CourseDoc)]
    assert {course.id for course in courses} == {"c-foundations", "c-privacy", "c-presence"}
    assert not rest.has_more
    lessons = [lesson for course in courses for m in course.modules for lesson in m.lessons]
    assert {lesson.kind for lesson in lessons} == {"video", "audio", "reading", "pdf", "quiz"}
    assert all(lesson.quiz_json for lesson in lessons if lesson.kind == "quiz")


def test_an_unpublished_course_arrives_as_a_tombstone(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    cursor = client.catalog_page().next_cursor
    reference_server.admin.unpublish_course("c-privacy")
    page = client.catalog_page(cursor)
    assert page.items == (Tombstone("course", "c-privacy"),)


def test_the_schedule_feed_carries_the_residency_with_its_enrolment(client: ApiClient) -> None:
    page = client.schedule_page()
    residencies = [item for item in page.items if isinstance(item, ResidencyDoc)]
    assert len(residencies) == 1
    residency = residencies[0]
    assert residency.timezone == "America/Chicago"
    assert residency.sessions and residency.enrolment is not None
    assert residency.enrolment.badge_token


def test_a_tampered_cursor_is_an_unknown_cursor_problem(client: ApiClient) -> None:
    with pytest.raises(ProblemError) as caught:
        client.catalog_page("not-a-cursor")
    assert caught.value.status == 400 and caught.value.kind == "unknown-cursor"


def test_a_check_in_with_a_wrong_code_is_a_problem_with_its_kind(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    now = datetime.now(UTC)
    reference_server.admin.set_checkin_window(
        "r-2027-chicago", now - timedelta(hours=1), now + timedelta(hours=1)
    )
    with pytest.raises(ProblemError) as caught:
        client.post_checkin(str(uuid.uuid4()), "r-2027-chicago", "WRONG", now)
    assert caught.value.kind == "wrong-code"
    assert caught.value.message


def test_statements_are_stored_and_read_back(client: ApiClient) -> None:
    statement_id = str(uuid.uuid4())
    agent = {"objectType": "Agent", "account": {"homePage": client.server_url, "name": "ana"}}
    statement = {
        "id": statement_id,
        "actor": agent,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "done"}},
        "object": {"objectType": "Activity", "id": f"{client.server_url}/lessons/l-x"},
        "timestamp": "2026-11-20T10:00:00.000Z",
    }
    endpoint = rounds_server_endpoint(client)
    try:
        body = json.dumps([statement]).encode()
        assert endpoint.post(body).ids == (statement_id,)
        assert endpoint.post(body).ids == (statement_id,)
        page = endpoint.first_page(agent, None, 500)
    finally:
        endpoint.close()
    assert statement_id in [s["id"] for s in page.statements]
