"""Statement storage: idempotent, atomic batches and filtered, paged queries."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, insert, select, update
from sqlalchemy.orm import Session

from reference_server.auth import AuthenticatedUser
from reference_server.db import Database
from reference_server.models import Statement, StatementAttachment
from reference_server.problems import ProblemError
from reference_server.xapi_attachments import Part, check_attachments
from reference_server.xapi_compare import canonical, comparable, content_digest, xapi_time
from reference_server.xapi_match import Filters, Selector, agent_key, certain, prefilter
from reference_server.xapi_positions import insert_in_feed_order
from reference_server.xapi_validation import StatementError, validate_statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
STATEMENT_COUNTER = "statements"
SCAN_CHUNK = 200


@dataclass(frozen=True)
class StatementQuery:
    filters: Filters = field(default_factory=Filters)
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False
    limit: int = 100
    after_seq: int | None = None
    format: str = "exact"
    attachments: bool = False


@dataclass(frozen=True)
class StatementPage:
    statements: list[str]  # each statement's stored JSON text
    last_seq: int | None
    has_more: bool


@dataclass(frozen=True)
class StoredStatement:
    body: str  # the stored JSON text
    stored: datetime


class StatementStore:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db, self._clock = db, clock

    def now(self) -> datetime:
        return self._clock()

    def store(
        self,
        user: AuthenticatedUser,
        authority: dict[str, Any],
        batch: Sequence[Any],
        parts: Mapping[str, Part] | None = None,
    ) -> list[str]:
        """Stores a batch atomically, with the raw content of its attachments; statements
        already stored with the same content are left as they are."""
        statements = [self._prepared(item, index, len(batch)) for index, item in enumerate(batch)]
        ids = [statement["id"] for statement in statements]
        if len(set(ids)) != len(ids):
            raise ProblemError(400, detail="The batch holds the same statement id twice.")
        check_attachments(statements, parts or {})
        stored = self._clock()
        stored = stored.replace(microsecond=stored.microsecond // 1000 * 1000)
        rows = [self._row(user, authority, statement, stored) for statement in statements]

        def unit(session: Session) -> None:
            fresh = self._without_stored_duplicates(session, statements)
            self._apply_voiding(session, user, fresh)
            _keep_parts(session, parts or {})
            insert_in_feed_order(session, _fresh_rows(rows, fresh), STATEMENT_COUNTER)

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
                select(Statement.id, Statement.body).where(Statement.id.in_(list(by_id)))
            ).all()
        )
        for statement_id, body in existing.items():
            if not _same_content(json.loads(body), by_id[statement_id]):
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
            "body": canonical(final),
        }

    @staticmethod
    def _apply_voiding(
        session: Session, user: AuthenticatedUser, statements: list[dict[str, Any]]
    ) -> None:
        targets = _voided_targets(statements)
        if targets:
            session.execute(
                update(Statement)
                .where(
                    Statement.id.in_(sorted(targets)),
                    Statement.user_id == user.id,
                    Statement.verb_id != VOIDED,
                )
                .values(voided=True)
            )

    def get(
        self, user: AuthenticatedUser, statement_id: str, voided: bool
    ) -> StoredStatement | None:
        """One statement as stored, if it is the learner's and voided (or not) as asked."""
        with self._db.read() as session:
            row = session.execute(
                select(Statement.body, Statement.stored).where(
                    Statement.id == statement_id.lower(),
                    Statement.user_id == user.id,
                    Statement.voided.is_(voided),
                )
            ).first()
        return None if row is None else StoredStatement(row.body, row.stored)

    def query(self, user: AuthenticatedUser, query: StatementQuery) -> StatementPage:
        """Up to `query.limit` statements after the query's position; candidates come from the
        database in the stored order, a chunk at a time, until the page is full."""
        wanted = query.limit + 1
        chunk = max(wanted, SCAN_CHUNK)
        picked: list[tuple[int, str]] = []
        with self._db.read() as session:
            selector = Selector(query.filters, lambda ids: _by_id(session, user, ids))
            after = query.after_seq
            while len(picked) < wanted:
                result = session.execute(_candidates(user, query, after).limit(chunk))
                rows = [(seq, body, bool(sure)) for seq, body, sure in result]
                if not rows:
                    break
                unsure = [(seq, body) for seq, body, sure in rows if not sure]
                parsed = [json.loads(body) for _, body in unsure]
                kept = {
                    seq
                    for (seq, _), keep in zip(unsure, selector.select(parsed), strict=True)
                    if keep
                }
                picked.extend((seq, body) for seq, body, sure in rows if sure or seq in kept)
                after = rows[-1][0]
                if len(rows) < chunk:
                    break
        page = picked[: query.limit]
        return StatementPage(
            [body for _, body in page], page[-1][0] if page else None, len(picked) > query.limit
        )

    def attachment_content(self, hashes: Sequence[str]) -> dict[str, bytes]:
        """The raw content kept for each of these SHA-2s (those the store has)."""
        with self._db.read() as session:
            rows = session.execute(
                select(StatementAttachment.sha2, StatementAttachment.content).where(
                    StatementAttachment.sha2.in_(list(hashes))
                )
            )
            return {sha2: content for sha2, content in rows}


def _keep_parts(session: Session, parts: Mapping[str, Part]) -> None:
    """Each part's content once; a hash already kept (by another worker too) is skipped, and
    an insert that loses the race to one fails on the key and the unit of work runs again."""
    if not parts:
        return
    kept = set(
        session.scalars(
            select(StatementAttachment.sha2).where(StatementAttachment.sha2.in_(list(parts)))
        )
    )
    missing = [
        {"sha2": sha2, "content": part.content} for sha2, part in parts.items() if sha2 not in kept
    ]
    if missing:
        session.execute(insert(StatementAttachment), missing)


def _by_id(
    session: Session, user: AuthenticatedUser, ids: set[str]
) -> dict[str, Mapping[str, Any]]:
    rows = session.execute(
        select(Statement.id, Statement.body).where(
            Statement.user_id == user.id, Statement.id.in_(sorted(ids))
        )
    ).all()
    return {statement_id: json.loads(body) for statement_id, body in rows}


def _same_content(stored: dict[str, Any], received: dict[str, Any]) -> bool:
    """The comparison rules; a timestamp the LRS filled in is not compared with none."""
    if "timestamp" not in received and stored.get("timestamp") == stored.get("stored"):
        stored = {key: value for key, value in stored.items() if key != "timestamp"}
    return comparable(stored) == comparable(received)


def _voided_targets(statements: Sequence[dict[str, Any]]) -> set[str]:
    """The ids of the statements these statements void."""
    return {
        statement["object"]["id"].lower()
        for statement in statements
        if statement["verb"]["id"] == VOIDED
        and statement["object"].get("objectType") == "StatementRef"
    }


def _fresh_rows(rows: list[dict[str, Any]], fresh: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the fresh statements; those a fresh voiding statement of the same batch
    voids are marked so (the stored ones it voids are updated by `_apply_voiding`)."""
    kept, targets = {statement["id"] for statement in fresh}, _voided_targets(fresh)
    return [
        {**row, "voided": row["id"] in targets and row["verb_id"] != VOIDED}
        for row in rows
        if row["id"] in kept
    ]


def _candidates(
    user: AuthenticatedUser, query: StatementQuery, after: int | None
) -> Select[int, str, int]:
    sure = case((certain(query.filters), 1), else_=0)
    statement = select(Statement.seq, Statement.body, sure).where(
        Statement.user_id == user.id, Statement.voided.is_(False), prefilter(query.filters)
    )
    if query.since is not None:
        statement = statement.where(Statement.stored > query.since)
    if query.until is not None:
        statement = statement.where(Statement.stored <= query.until)
    if after is not None:
        statement = statement.where(
            Statement.seq > after if query.ascending else Statement.seq < after
        )
    return statement.order_by(Statement.seq if query.ascending else Statement.seq.desc())
