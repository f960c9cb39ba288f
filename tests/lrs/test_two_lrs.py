"""One end-to-end flow against two third-party LRSs: Learning Locker and ralph.

A laptop uploads real progress (a video watched, a quiz answered); the LRS holds it unchanged.
A desktop pulls it. The laptop then uploads statements recorded a day earlier while offline:
ralph compares `since` with each statement's `timestamp`, not its `stored` time, so the
desktop's next pull does not see them there; the reconciliation, which asks by course without
`since`, brings them in. Both devices end with the same statements and the same lesson states.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from loopback_service import running

from desktop_app.progress import Actor, LessonRef

from .learning_locker import THIRD_PARTY, LearningLocker
from .lrs_devices import Device, laptop_and_desktop, new_learner
from .ralph import KEY, SECRET, Ralph

VIDEO = LessonRef("l-intro", "c-foundations", "Introduction", "video")
READING = LessonRef("l-reading", "c-foundations", "Hand hygiene", "pdf")
QUIZ = LessonRef("l-quiz", "c-foundations", "Check your understanding", "quiz")
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}
COMPARED = ("actor", "verb", "object", "result", "context", "timestamp")


Lrs = LearningLocker | Ralph


@pytest.fixture(scope="module", params=["learning-locker", "ralph"])
def lrs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    starter: Callable[[Path], Lrs] = Ralph.start
    if request.param == "learning-locker":
        starter = LearningLocker.start
    with running(starter, tmp_path_factory.mktemp(request.param), THIRD_PARTY) as service:
        yield service


@pytest.fixture
def learner() -> Actor:
    return new_learner()


@pytest.fixture
def devices(tmp_path: Path, lrs: Lrs, learner: Actor) -> Iterator[tuple[Device, Device]]:
    with laptop_and_desktop(tmp_path, learner, lrs.endpoint, (KEY, SECRET)) as devices:
        yield devices


def held_by_lrs(lrs: Lrs, learner: Actor) -> dict[str, dict[str, Any]]:
    """What the LRS holds for the learner, asked with plain requests (not through Rounds)."""
    params = {"agent": json.dumps(learner.to_xapi()), "limit": "1000"}
    reply = requests.get(f"{lrs.endpoint}/statements", params=params, auth=(KEY, SECRET),
                         headers=XAPI_HEADERS, timeout=10)  # fmt: skip
    reply.raise_for_status()
    body = reply.json()
    assert not body.get("more")
    return {statement["id"]: statement for statement in body["statements"]}


def study(device: Device) -> None:
    """A video watched to the end and a quiz answered twice, as the player records them."""
    with device.log.db.session() as session:
        for step in range(6):
            device.log.progressed(session, VIDEO, step * 10.0, step / 6)
        device.log.completed(session, VIDEO)
    device.answer_quiz_twice(QUIZ)


def study_yesterday_offline(device: Device) -> list[str]:
    yesterday = device.log.now() - timedelta(days=1)
    with device.log.db.session() as session:
        ids = [
            device.log.progressed(
                session, READING, page, page / 4, at=yesterday + timedelta(minutes=page)
            )
            for page in range(4)
        ]
        ids.append(device.log.completed(session, READING, at=yesterday + timedelta(minutes=5)))
    return ids


def test_progress_goes_up_unchanged_and_comes_back_including_day_old_statements(
    lrs: Lrs, devices: tuple[Device, Device], learner: Actor
) -> None:
    laptop, desktop = devices
    study(laptop)
    made = laptop.statements()

    assert laptop.outbox().upload().complete

    held = held_by_lrs(lrs, learner)
    assert set(held) == set(made)
    for key, statement in made.items():
        for part in COMPARED:
            assert held[key].get(part) == statement.get(part), (part, held[key])
    assert desktop.pull().run().merged == len(made)

    late = study_yesterday_offline(laptop)
    assert laptop.outbox().upload().complete
    assert set(late) <= set(held_by_lrs(lrs, learner))

    pulled = desktop.pull().run().merged
    if isinstance(lrs, Ralph):
        assert pulled == 0  # ralph's `since` is on timestamps: the day-old ones are not sent
    assert desktop.reconcile(VIDEO.course_id) == len(late) - pulled

    assert desktop.ids() == laptop.ids() == set(made) | set(late)
    for lesson in (VIDEO, READING, QUIZ):
        state = desktop.log.lesson_state(lesson.lesson_id)
        assert state == laptop.log.lesson_state(lesson.lesson_id)
        assert state.completed or lesson is QUIZ
    assert desktop.log.lesson_state(QUIZ.lesson_id).attempts == 2
    assert desktop.reconcile(VIDEO.course_id) == 0
