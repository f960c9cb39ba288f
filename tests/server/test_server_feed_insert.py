"""A batch's positions and rows go to PostgreSQL with its commit in one pipeline: a batch
that then fails on a statement another writer committed first is run again and answers as a
repeat, and the positions it had reserved are given back."""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select

from reference_server import ReferenceServer
from reference_server.models import Counter, Statement

from .test_server_feed_order import (
    ANA,
    AUTHORITY,
    GATE,
    STALLED_VERB,
    _settled,
    _waiting,
    gate,
)
from .test_server_xapi import statement

__all__ = ["gate"]  # the fixture, used by name


class Writer(threading.Thread):
    def __init__(self, server: ReferenceServer, sent: dict[str, Any]) -> None:
        super().__init__()
        self._server, self._sent = server, sent
        self.answer: list[str] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.answer = self._server.backend.statements.store(ANA, AUTHORITY, [self._sent])
        except BaseException as error:  # reported by the test
            self.error = error


def test_a_statement_stored_by_another_writer_during_the_insert_answers_as_a_repeat(
    server: ReferenceServer, gate: psycopg.Connection[Any], caplog: pytest.LogCaptureFixture
) -> None:
    server.backend.statements.store(ANA, AUTHORITY, [statement()])  # the counter exists
    sent = statement(verb={"id": STALLED_VERB})
    first = Writer(server, sent)
    first.start()
    _waiting(gate, 1)  # inside its INSERT, holding the counter
    second = Writer(server, sent)
    second.start()
    _settled(gate, second)  # read no duplicate, waits for the counter
    with caplog.at_level(logging.WARNING):
        gate.execute("SELECT pg_advisory_unlock(%s)", (GATE,))
        first.join(timeout=20)
        second.join(timeout=20)
    assert (first.error, second.error) == (None, None)
    assert first.answer == second.answer == [sent["id"]]
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    with server.backend.db.read() as session:
        stored = session.scalar(select(func.count()).where(Statement.id == sent["id"]))
        highest = session.scalar(select(func.max(Statement.seq)))
        counter = session.scalar(select(Counter.value).where(Counter.name == "statements"))
    assert stored == 1
    assert counter == highest  # the failed batch's positions were not kept
