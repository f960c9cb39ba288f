"""The generated catalog the sync benchmark measures looks like a real one once it is cached."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from desktop_app.account import Account
from desktop_app.catalog.search import search
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
