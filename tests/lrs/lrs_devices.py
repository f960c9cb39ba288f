"""A learner's laptop and desktop that send progress straight to a third-party LRS with Basic
credentials (no Rounds server in between), each with its own SQLite cache."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz_samples import QUIZ as QUIZ_DOCUMENT
from quiz_samples import RIGHT, WRONG
from sqlalchemy import select

from desktop_app.api.client import ApiClient
from desktop_app.api.xapi import StatementsEndpoint
from desktop_app.db import Database
from desktop_app.models import ProgressEvent
from desktop_app.progress import (
    Actor,
    LessonRef,
    OutboxQueue,
    ProgressExchange,
    ProgressLog,
    activity_base_for,
)
from desktop_app.progress.quiz_scoring import parse_quiz
from desktop_app.progress.store import all_statements
from desktop_app.sync.lrs import LrsConfig, lrs_secret_store, statements_endpoint
from desktop_app.sync.outbox import Outbox
from desktop_app.sync.reconciliation import Reconciliation, registration_scopes
from desktop_app.sync.statements_pull import StatementsPull

SERVER = "https://rounds.example"


@dataclass
class Device:
    log: ProgressLog
    endpoint: StatementsEndpoint

    def outbox(self) -> Outbox:
        return Outbox(OutboxQueue(self.log.db), self.endpoint, batch_size=7)

    def pull(self) -> StatementsPull:
        return StatementsPull(self._exchange(), self.endpoint, page_size=5)

    def reconcile(self, course_id: str) -> int:
        """Asks the LRS for the course's statements without `since`; how many were new."""
        scopes = registration_scopes(self.log.builder, [course_id])
        summary = Reconciliation(self._exchange(), self.endpoint, scopes, page_size=5).run()
        assert summary.complete
        return summary.merged

    def answer_quiz_twice(self, quiz_lesson: LessonRef) -> None:
        """The sample quiz opened, failed, passed and closed, as the player records it."""
        quiz = parse_quiz(QUIZ_DOCUMENT)
        recorder = self.log.recorder_for(quiz_lesson)
        recorder.opened()
        recorder.quiz_scored(0.5, False, WRONG, quiz)
        recorder.quiz_scored(1.0, True, RIGHT, quiz)
        recorder.closed()

    def ids(self) -> set[str]:
        with self.log.db.session() as session:
            return set(session.scalars(select(ProgressEvent.id)))

    def statements(self) -> dict[str, dict[str, Any]]:
        with self.log.db.session() as session:
            return {statement["id"]: statement for statement in all_statements(session)}

    def _exchange(self) -> ProgressExchange:
        return ProgressExchange(self.log.db, self.log.actor)


def new_learner() -> Actor:
    """A learner of one test only, so that tests can share one LRS."""
    return Actor(SERVER, f"ana-{uuid.uuid4().hex[:8]}", "Ana Ortiz")


@contextmanager
def laptop_and_desktop(
    folder: Path, learner: Actor, endpoint: str, credentials: tuple[str, str]
) -> Iterator[tuple[Device, Device]]:
    """The learner's two devices, both set to the LRS at `endpoint` with (key, secret)."""
    key, secret = credentials
    config = LrsConfig(endpoint, key)
    lrs_secret_store(config).save(secret)
    api = ApiClient(SERVER)
    opened = []
    for name in ("laptop", "desktop"):
        log = ProgressLog(Database(folder / f"{name}.sqlite3"), learner, activity_base_for(SERVER))
        opened.append(Device(log, statements_endpoint(config, api)))
    try:
        yield opened[0], opened[1]
    finally:
        for device in opened:
            device.endpoint.close()
            device.log.db.close()
        api.close()
