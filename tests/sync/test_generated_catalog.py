"""The generated catalog the sync benchmark measures looks like a real one once it is cached."""

from __future__ import annotations

import json

import requests
from server_fixture import DEMO_PASSWORD, DEMO_USER
from sqlalchemy import func, select

from desktop_app.account import Account
from desktop_app.catalog.search import search
from desktop_app.config import Settings
from desktop_app.models import Asset, Lesson, LessonAsset, Module
from reference_server.server import ReferenceServer


def test_a_generated_catalog_has_every_kind_its_own_assets_captions_and_quizzes(
    account: Account, reference_server: ReferenceServer
) -> None:
    ids = reference_server.admin.generate_catalog(4, 12)
    account.sync()
    with account.db.session() as session:
        lessons = session.scalars(select(Lesson).where(Lesson.course_id.in_(ids))).all()
        links = session.execute(
            select(LessonAsset.lesson_id, LessonAsset.sha256, LessonAsset.role)
            .join(Lesson, Lesson.id == LessonAsset.lesson_id)
            .where(Lesson.course_id.in_(ids))
        ).all()
        modules = session.scalar(select(func.count()).where(Module.course_id.in_(ids)))
        sizes = set(session.scalars(select(Asset.size)))
        found = search(session, "patient privacy")
    assert len(lessons) == 48 and modules == 20
    assert {lesson.kind for lesson in lessons} == {"video", "audio", "reading", "pdf", "quiz"}
    assert all(lesson.summary for lesson in lessons)
    own = [sha for _, sha, _ in links]
    assert len(set(own)) >= len(own) - len(ids) + 1  # one shared welcome body, the rest own
    media = {lesson_id for lesson_id, _, role in links if role == "media"}
    captioned = {lesson_id for lesson_id, _, role in links if role == "captions"}
    assert media and media == captioned
    quizzes = [json.loads(lesson.quiz_json) for lesson in lessons if lesson.kind == "quiz"]
    assert quizzes and all(len(quiz["questions"]) >= 2 for quiz in quizzes)
    assert len(sizes) > 40 and found


def test_a_default_feed_page_is_small_enough_to_decode_within_a_frame(
    reference_server: ReferenceServer,
) -> None:
    """The sync decodes each page holding the interpreter lock the window needs: with the
    default page size a page of courses like real ones stays near 0.4 MB (a few ms to decode)."""
    reference_server.admin.generate_catalog(60, 50)
    url = f"{reference_server.url}/api/v1"
    credentials = {"username": DEMO_USER, "password": DEMO_PASSWORD}
    token = requests.post(f"{url}/auth/token", json=credentials, timeout=30).json()
    reply = requests.get(
        f"{url}/sync/catalog",
        params={"limit": Settings().sync_page_size},
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=30,
    )
    page = reply.json()
    assert page["has_more"] and len(page["items"]) == Settings().sync_page_size
    assert len(reply.content) < 600_000
