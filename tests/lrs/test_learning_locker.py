"""Progress reaches a conformant third-party LRS, and comes back from it on another device.

The LRS is Learning Locker's statement service (npm `xapi-statements` 5.0.1), installed by
`make test` into $ROUNDS_LRS_DIR. Without node or the package these tests fail and say how
to install them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests

from desktop_app.progress import Actor, LessonRef, OutboxQueue, ProgressLog
from desktop_app.progress.xapi import ANSWERED, INTERACTION_TYPE

from .learning_locker import LearningLocker
from .lrs_devices import Device, laptop_and_desktop, new_learner

KEY, SECRET = "rounds-test-key", "rounds-test-secret"
VIDEO = LessonRef("l-intro", "c-foundations", "Introduction", "video")
QUIZ = LessonRef("l-quiz", "c-foundations", "Check your understanding", "quiz")
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture
def learner() -> Actor:
    """A learner of this test only: the LRS is shared by the tests of this file."""
    return new_learner()


@pytest.fixture
def devices(tmp_path: Path, lrs: LearningLocker, learner: Actor) -> Iterator[dict[str, Device]]:
    with laptop_and_desktop(tmp_path, learner, lrs.endpoint, (KEY, SECRET)) as (laptop, desktop):
        yield {"laptop": laptop, "desktop": desktop}


def lrs_statements(lrs: LearningLocker, learner: Actor) -> list[dict[str, Any]]:
    """What the LRS holds for the learner, asked with plain requests (not through Rounds)."""
    params = {"agent": json.dumps(learner.to_xapi()), "limit": "1000"}
    reply = requests.get(f"{lrs.endpoint}/statements", params=params, auth=(KEY, SECRET),
                         headers=XAPI_HEADERS, timeout=10)  # fmt: skip
    reply.raise_for_status()
    body = reply.json()
    assert body["more"] == ""
    return list(body["statements"])


def study(log: ProgressLog, lesson: LessonRef, steps: int) -> list[str]:
    with log.db.session() as session:
        ids = [log.progressed(session, lesson, n * 10.0, n / steps) for n in range(steps)]
        if lesson.kind == "quiz":
            ids.append(log.quiz_result(session, lesson, 0.9, True, {"q1": ["b"]}))
        else:
            ids.append(log.completed(session, lesson))
    return ids


def test_the_lrs_listens_on_loopback_only(lrs: LearningLocker) -> None:
    listening = [
        c.laddr for c in psutil.Process(lrs.process.pid).net_connections("inet")
        if c.status == psutil.CONN_LISTEN
    ]  # fmt: skip
    assert listening and {address.ip for address in listening} == {"127.0.0.1"}


def test_upload_reaches_the_lrs_and_pull_brings_it_to_another_device(
    lrs: LearningLocker, devices: dict[str, Device], learner: Actor
) -> None:
    laptop, desktop = devices["laptop"], devices["desktop"]
    mine = study(laptop.log, VIDEO, 12)
    theirs = study(desktop.log, QUIZ, 4)

    uploaded = laptop.outbox().upload()

    assert uploaded.complete and (uploaded.sent, uploaded.requests) == (13, 2)
    held = lrs_statements(lrs, learner)
    assert sorted(s["id"] for s in held) == sorted(mine)
    assert all(learner.is_agent(s["actor"]) for s in held)

    assert desktop.outbox().upload().complete
    pulled = desktop.pull().run()
    assert pulled.pages >= 4 and pulled.merged == len(mine)  # followed LRS `more` links
    assert laptop.pull().run().merged == len(theirs)

    union = set(mine) | set(theirs)
    assert laptop.ids() == desktop.ids() == union
    assert sorted(s["id"] for s in lrs_statements(lrs, learner)) == sorted(union)
    for lesson in (VIDEO, QUIZ):
        assert laptop.log.lesson_state(lesson.lesson_id) == desktop.log.lesson_state(
            lesson.lesson_id
        )
    assert desktop.log.lesson_state(VIDEO.lesson_id).completed
    assert laptop.log.lesson_state(QUIZ.lesson_id).best_score == 0.9


def test_the_lrs_accepts_a_repeated_batch_and_keeps_one_copy(
    lrs: LearningLocker, devices: dict[str, Device], learner: Actor
) -> None:
    laptop = devices["laptop"]
    ids = study(laptop.log, VIDEO, 3)
    pending = OutboxQueue(laptop.log.db).pending_batch(10)
    body = ("[" + ",".join(text for _, text in pending) + "]").encode()

    first, again = laptop.endpoint.post(body), laptop.endpoint.post(body)

    assert first.stored and again.stored and sorted(again.ids) == sorted(ids)
    assert sorted(s["id"] for s in lrs_statements(lrs, learner)) == sorted(ids)
    assert laptop.outbox().upload().sent == len(ids)


def test_a_quiz_attempt_reaches_the_lrs_as_interactions_and_comes_back(
    lrs: LearningLocker, devices: dict[str, Device], learner: Actor
) -> None:
    """Each answer is a choice interaction with its response in the xAPI format; the LRS takes
    them unchanged, and another device that pulls them has the same quiz state."""
    laptop, desktop = devices["laptop"], devices["desktop"]
    laptop.answer_quiz_twice(QUIZ)
    made = laptop.statements()

    assert laptop.outbox().upload().complete

    held = {statement["id"]: statement for statement in lrs_statements(lrs, learner)}
    assert set(held) == set(made)
    for key, statement in held.items():
        for part in ("actor", "verb", "object", "result"):
            assert statement.get(part) == made[key].get(part), (part, statement)
        assert statement["context"]["registration"] == made[key]["context"]["registration"]
    answered = [s for s in held.values() if s["verb"]["id"] == ANSWERED]
    assert sorted(s["result"]["response"] for s in answered) == ["a", "a", "a[,]b", "b"]
    assert {s["object"]["definition"]["type"] for s in answered} == {INTERACTION_TYPE}
    assert {s["object"]["definition"]["interactionType"] for s in answered} == {"choice"}
    assert len({s["context"]["registration"] for s in held.values()}) == 1
    assert desktop.pull().run().merged == len(made)
    assert desktop.log.lesson_state(QUIZ.lesson_id) == laptop.log.lesson_state(QUIZ.lesson_id)
    assert desktop.log.lesson_state(QUIZ.lesson_id).attempts == 2
