"""Statement storage: idempotent, atomic batches and filtered, paged queries."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

from reference_server.auth import AuthenticatedUser
from reference_server.changes import next_seq
from reference_server.db import Database
from reference_server.models import Statement
from reference_server.problems import ProblemError
from reference_server.wire import parse_rfc3339
from reference_server.xapi_validation import StatementError, validate_statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
_SERVER_SET = ("stored", "authority", "version")
STATEMENT_COUNTER = "statements"


def xapi_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_digest(statement: dict[str, Any]) -> str:
    """What makes two submissions of one statement id "the same statement"."""
    comparable = {key: item for key, item in statement.items() if key not in _SERVER_SET}
    if "timestamp" in comparable:
        comparable["timestamp"] = parse_rfc3339(comparable["timestamp"]).isoformat()
    return hashlib.sha256(_canonical(comparable).encode()).hexdigest()


def agent_key(agent: dict[str, Any]) -> str:
    """One key per identified agent, whichever of its properties besides the identifier vary."""
    for ifi in ("mbox", "mbox_sha1sum", "openid", "account"):
        if ifi in agent:
            value = agent[ifi].lower() if ifi in ("mbox", "mbox_sha1sum") else agent[ifi]
            return hashlib.sha256(_canonical({ifi: value}).encode()).hexdigest()
    return hashlib.sha256(_canonical(agent).encode()).hexdigest()


@dataclass(frozen=True)
class StatementQuery:
    agent: str | None = None  # agent_key
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = True
    limit: int = 100
    after_seq: int | None = None


@dataclass(frozen=True)
class StatementPage:
    statements: list[str]  # each statement's stored JSON text
    last_seq: int | None
    has_more: bool


class StatementStore:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db, self._clock = db, clock

    def now(self) -> datetime:
        return self._clock()

    def store(
        self, user: AuthenticatedUser, authority: dict[str, Any], batch: Sequence[Any]
    ) -> list[str]:
        statements = [self._prepared(item, index, len(batch)) for index, item in enumerate(batch)]
        ids = [statement["id"] for statement in statements]
        if len(set(ids)) != len(ids):
            raise ProblemError(400, detail="The batch holds the same statement id twice.")

        def unit(session: Session) -> None:
            fresh = self._without_stored_duplicates(session, statements)
            stored = self._clock()
            stored = stored.replace(microsecond=stored.microsecond // 1000 * 1000)
            if fresh:
                rows = [self._row(user, authority, statement, stored) for statement in fresh]
                first = _positions(session, len(rows))
                for offset, row in enumerate(rows):
                    row["seq"] = first + offset
                session.execute(insert(Statement), rows)
            self._apply_voiding(session, user, fresh)

        # A statement another worker stored meanwhile is then compared like any stored one.
        self._db.write_retrying(unit)
        return ids

    @staticmethod
    def _prepared(item: Any, index: int, count: int) -> dict[str, Any]:
        where = "statement" if count == 1 else f"statement[{index}]"
        try:
            statement = validate_statement(item, where)
        except StatementError as exc:
            raise ProblemError(400, detail=str(exc)) from None
        statement["id"] = statement.get("id", str(uuid.uuid4())).lower()
        return statement

    @staticmethod
    def _without_stored_duplicates(
        session: Session, statements: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_id = {statement["id"]: statement for statement in statements}
        existing = dict(
            session.execute(
                select(Statement.id, Statement.content_hash).where(Statement.id.in_(list(by_id)))
            ).all()
        )
        for statement_id, digest in existing.items():
            if digest != content_digest(by_id[statement_id]):
                raise ProblemError(
                    409, detail=f"Statement {statement_id} is already stored with other content."
                )
        return [statement for statement in statements if statement["id"] not in existing]

    @staticmethod
    def _row(
        user: AuthenticatedUser,
        authority: dict[str, Any],
        statement: dict[str, Any],
        stored: datetime,
    ) -> dict[str, Any]:
        digest = content_digest(statement)
        final = {**statement, "stored": xapi_time(stored), "authority": authority}
        final.setdefault("timestamp", final["stored"])
        final.setdefault("version", "1.0.0")
        target = statement["object"]
        is_activity = target.get("objectType", "Activity") == "Activity"
        registration = statement.get("context", {}).get("registration")
        return {
            "id": statement["id"],
            "user_id": user.id,
            "actor_key": agent_key(statement["actor"]),
            "verb_id": statement["verb"]["id"],
            "activity_id": target["id"] if is_activity else None,
            "registration": registration.lower() if registration else None,
            "stored": stored,
            "content_hash": digest,
            "voided": False,
            "body": _canonical(final),
        }

    @staticmethod
    def _apply_voiding(
        session: Session, user: AuthenticatedUser, statements: list[dict[str, Any]]
    ) -> None:
        targets = [
            statement["object"]["id"].lower()
            for statement in statements
            if statement["verb"]["id"] == VOIDED
            and statement["object"].get("objectType") == "StatementRef"
        ]
        if targets:
            session.execute(
                update(Statement)
                .where(
                    Statement.id.in_(targets),
                    Statement.user_id == user.id,
                    Statement.verb_id != VOIDED,
                )
                .values(voided=True)
            )

    def get(self, user: AuthenticatedUser, statement_id: str, voided: bool) -> str | None:
        """The stored JSON text of one statement."""
        with self._db.read() as session:
            row = session.scalar(
                select(Statement).where(
                    Statement.id == statement_id.lower(),
                    Statement.user_id == user.id,
                    Statement.voided.is_(voided),
                )
            )
        return None if row is None else row.body

    def query(self, user: AuthenticatedUser, query: StatementQuery) -> StatementPage:
        with self._db.read() as session:
            rows = session.execute(_filtered(user, query).limit(query.limit + 1)).all()
        page = rows[: query.limit]
        return StatementPage(
            [body for _, body in page],
            page[-1][0] if page else None,
            len(rows) > query.limit,
        )


def _positions(session: Session, count: int) -> int:
    """The first of `count` feed positions, taken last in the transaction: the counter's row
    stays locked until commit, so positions commit in order across workers and a reader's
    cursor never passes a statement that commits later (a plain sequence would let a slow
    transaction commit a smaller position behind the cursor)."""

    def highest_used() -> int:
        return int(session.scalar(select(func.max(Statement.seq))) or 0)

    return next_seq(session, count, STATEMENT_COUNTER, highest_used)


def _filtered(user: AuthenticatedUser, query: StatementQuery) -> Select[int, str]:
    statement = select(Statement.seq, Statement.body).where(
        Statement.user_id == user.id, Statement.voided.is_(False)
    )
    equal_to = {
        Statement.actor_key: query.agent,
        Statement.verb_id: query.verb,
        Statement.activity_id: query.activity,
        Statement.registration: query.registration,
    }
    for column, value in equal_to.items():
        if value is not None:
            statement = statement.where(column == value)
    if query.since is not None:
        statement = statement.where(Statement.stored > query.since)
    if query.until is not None:
        statement = statement.where(Statement.stored <= query.until)
    if query.after_seq is not None:
        after = query.after_seq
        statement = statement.where(
            Statement.seq > after if query.ascending else Statement.seq < after
        )
    return statement.order_by(Statement.seq if query.ascending else Statement.seq.desc())
