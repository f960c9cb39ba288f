"""Publishing from several processes at once (organisers' commands beside the workers): two
backends over one database, each with its own connections, as two processes have. Every change
lands once, no version is lost, and the feed positions stay one order."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from reference_server.admin import Admin
from reference_server.backend import Backend
from reference_server.models import Counter, Course, Enrolment, Residency

from .conftest import Template

EDITS = 12
NEW_COURSES = 4


@pytest.fixture
def publishers(
    loaded_template: Template, database_url: str | None, tmp_path: Path
) -> Iterator[list[Admin]]:
    """Two publishers over the test's database (SQLite: the data folder's file)."""
    data = shutil.copytree(loaded_template.root / "data", tmp_path / "data")
    backends = [Backend.open(data, database_url) for _ in range(2)]
    try:
        yield [Admin(backend) for backend in backends]
    finally:
        for backend in backends:
            backend.close()


def _at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Every call from its own thread, released together; re-raises the first failure."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        start.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _quiz_course(course_id: str) -> dict[str, Any]:
    short = course_id.removeprefix("c-")
    question = {
        "id": "q1",
        "prompt": "Pick a",
        "multiple": False,
        "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
        "correct": ["a"],
    }
    lesson = {
        "id": f"l-{short}-quiz",
        "title": "Check",
        "kind": "quiz",
        "quiz": {"pass_mark": 1.0, "questions": [question]},
    }
    module = {"id": f"m-{short}-1", "title": "Only module", "lessons": [lesson]}
    return {"id": course_id, "title": f"Course {short}", "position": 9, "modules": [module]}


def _course(admin: Admin, course_id: str) -> Course:
    with admin._backend.db.read() as session:
        row = session.get(Course, course_id)
        assert row is not None
        return row


def _positions(admin: Admin) -> tuple[list[int], int]:
    """Every feed position in use, and the change counter's value."""
    with admin._backend.db.read() as session:
        used = [
            *session.scalars(select(Course.seq)),
            *session.scalars(select(Residency.seq)),
            *session.scalars(select(Enrolment.seq)),
        ]
        counter = session.scalar(select(Counter.value).where(Counter.name == "changes"))
    assert counter is not None
    return used, int(counter)


def test_one_new_course_published_twice_at_once_is_stored_once(publishers: list[Admin]) -> None:
    for index in range(NEW_COURSES):
        course = _quiz_course(f"c-new-{index}")
        _at_once([partial(admin.add_course, course) for admin in publishers])
        row = _course(publishers[0], course["id"])
        assert (row.version, row.published) == (1, True)
    with publishers[0]._backend.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Course)) == 2 + NEW_COURSES


def test_changes_to_one_course_at_once_each_give_a_version(publishers: list[Admin]) -> None:
    """One publisher unpublishes and republishes the course while the other edits a lesson in
    it: no change overwrites another's version, and each takes its own feed position."""
    first, second = publishers
    before = _course(first, "c-privacy").version

    def toggle() -> None:
        for _ in range(EDITS // 2):
            assert first.unpublish_course("c-privacy")
            assert first.publish_course("c-privacy")

    def edit() -> None:
        for index in range(EDITS):
            second.update_lesson("l-privacy-read", title=f"Reading, take {index}")

    _at_once([toggle, edit])
    after = _course(first, "c-privacy")
    assert after.version == before + 2 * EDITS
    assert after.published
    used, counter = _positions(first)
    assert len(used) == len(set(used))
    assert max(used) == after.seq == counter


def test_enrolments_changed_at_once_are_all_kept(publishers: list[Admin]) -> None:
    first, second = publishers
    _at_once(
        [
            lambda: first.enrol("r-chicago", "cy"),
            lambda: second.withdraw("r-chicago", "ben"),
        ]
    )
    with first._backend.db.read() as session:
        statuses = dict(
            session.execute(
                select(Enrolment.user_id, Enrolment.status).filter_by(residency_id="r-chicago")
            ).all()
        )
    assert statuses == {"u-ana": "enrolled", "u-ben": "withdrawn", "u-cy": "enrolled"}
    used, _counter = _positions(first)
    assert len(used) == len(set(used))
