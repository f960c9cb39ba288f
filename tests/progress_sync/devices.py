"""A learner's devices for the sync tests: each its own SQLite cache, signed in to one server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.transport import TransportConfig
from desktop_app.api.xapi import StatementsEndpoint, rounds_server_endpoint
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
from desktop_app.sync.outbox import Backoff, Outbox
from desktop_app.sync.statements_pull import StatementsPull
from reference_server import ReferenceServer

PASSWORD = "rounds-demo"
VIDEO = LessonRef("l-intro", "c-foundations", "Introduction", "video")
PDF = LessonRef("l-checklist", "c-foundations", "Checklist", "pdf")
QUIZ = LessonRef("l-quiz", "c-foundations", "Check your understanding", "quiz")
LESSONS = (VIDEO, PDF, QUIZ)
QUICK = Backoff(attempts=4, base_seconds=0.01, max_seconds=0.05)
"""Backoff for tests: the same rules, shorter waits."""
QUICK_NETWORK = TransportConfig(backoff_factor=0.01, backoff_max=0.1)


@dataclass
class Device:
    """One computer of the learner: its cache, its progress log (with the outbox queue and the
    exchange over it) and its way to the server."""

    name: str
    db: Database
    log: ProgressLog
    queue: OutboxQueue
    exchange: ProgressExchange
    api: ApiClient
    endpoint: StatementsEndpoint
    tokens: MemoryTokenStore

    def outbox(self, **options: Any) -> Outbox:
        options.setdefault("backoff", QUICK)
        return Outbox(self.queue, self.endpoint, **options)

    def pull(self, page_size: int = 500) -> StatementsPull:
        return StatementsPull(self.exchange, self.endpoint, page_size=page_size)

    def record(
        self, count: int, lesson: LessonRef = VIDEO, *, in_one_transaction: bool = False
    ) -> list[str]:
        """A study session: `count` progress statements, one commit each (or all in one)."""
        if in_one_transaction:
            with self.db.session() as session:
                return [self._step(session, lesson, n, count) for n in range(count)]
        ids = []
        for step in range(count):
            with self.db.session() as session:
                ids.append(self._step(session, lesson, step, count))
        return ids

    def _step(self, session: Session, lesson: LessonRef, step: int, count: int) -> str:
        return self.log.progressed(session, lesson, step * 5.0, step / max(count, 1))

    def close(self) -> None:
        self.endpoint.close()
        self.api.close()
        self.db.close()


def open_device(
    server_url: str, path: Path, username: str = "ana", *, sign_in: bool = True
) -> Device:
    """A device with its own cache at `path`; signed in unless it only records."""
    tokens = MemoryTokenStore()
    api = ApiClient(server_url, tokens=tokens, config=QUICK_NETWORK)
    if sign_in:
        api.sign_in(username, PASSWORD)
    db = Database(path)
    actor = Actor(server_url, username, username.title())
    log = ProgressLog(db, actor, activity_base_for(server_url))
    queue, exchange = OutboxQueue(db), ProgressExchange(db, actor)
    return Device(path.stem, db, log, queue, exchange, api, rounds_server_endpoint(api), tokens)


def start_server(data_dir: Path, **options: Any) -> ReferenceServer:
    server = ReferenceServer(data_dir, **options).start()
    server.admin.add_user("ana", PASSWORD, "Ana Ortiz")
    server.admin.add_user("ben", PASSWORD, "Ben Okafor")
    return server


def insert_raw_statement(log: ProgressLog, statement_id: str, text: str) -> None:
    """Put a statement into the log as stored text, bypassing every check (a damaged row)."""
    with log.db.session() as session:
        next_seq = select(func.coalesce(func.max(ProgressEvent.seq), 0) + 1).scalar_subquery()
        session.execute(
            insert(ProgressEvent).values(
                id=statement_id, seq=next_seq, lesson_id=VIDEO.lesson_id, course_id="",
                verb="http://adlnet.gov/expapi/verbs/progressed",
                occurred_at=log.now(), statement_json=text,
            )
        )  # fmt: skip


def stored_texts(log: ProgressLog) -> dict[str, str]:
    with log.db.session() as session:
        rows = session.execute(select(ProgressEvent.id, ProgressEvent.statement_json))
        return {row.id: row.statement_json for row in rows}
