"""Statements in and out of the progress log: other devices' merged in, files written and read.

Merging is the union of two logs: each statement is checked on its own, one already here is
left alone, so merging again changes nothing. Statements pulled from the server count as
uploaded; those imported from a file are queued, since the server may never have seen them.

A progress file moves a learner's log between machines that are never online. It is JSON:
`{"format": "rounds-progress", "version": 1, "actor": {...}, "statements": [...],
"sha256": "..."}`, the checksum taken over the canonical JSON of `statements`. A file that is
damaged, changed after export, of another format or of another learner is refused whole.
The checksum guards against accidental damage only: it is not a signature, so anyone can edit
a file and compute the checksum again, and an import trusts what such a file says.
A quarantine file holds the statements the server refused, for an administrator to inspect.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.atomic_file import write_json_atomically
from desktop_app.db import Database
from desktop_app.progress import store
from desktop_app.progress.store import QuarantinedStatement
from desktop_app.progress.validation import statement_problem
from desktop_app.progress.xapi import Actor, Statement, canonical_json, to_millis, utc_now
from desktop_app.text import translate

log = logging.getLogger(__name__)

FORMAT = "rounds-progress"
VERSION = 1
QUARANTINE_FORMAT = "rounds-quarantine"
NO_STATEMENTS = translate("progress", "{file} is damaged: it holds no list of statements.")
CHANGED = translate(
    "progress", "{file} is damaged or was changed after it was exported (checksum mismatch)."
)
UNREADABLE = translate("progress", "Could not read {path}: {reason}.")
NOT_A_PROGRESS_FILE = translate("progress", "{file} is not a Rounds progress file.")
NOT_JSON = translate("progress", "{file} is not a Rounds progress file (not JSON).")
WRONG_FORMAT = translate("progress", "This is not a Rounds progress file.")
WRONG_VERSION = translate(
    "progress",
    "This progress file has format version {version}; this Rounds reads version {supported}. "
    "Update Rounds to import it.",
)
OTHER_LEARNER = translate("progress", "{file} holds the progress of {owner}, not of {learner}.")
ANOTHER_LEARNER = translate("progress", "another learner")
BAD_STATEMENT = translate("progress", "{file} is damaged: statement {number}: {problem}.")


@dataclass(frozen=True)
class MergeResult:
    inserted: int
    already_present: int
    invalid: int
    problems: tuple[str, ...] = ()


class ProgressExchange:
    """One learner's progress log meeting other devices' statements and progress files."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        clock: Callable[[], datetime] = utc_now,
        *,
        follow: Callable[[], Actor] | None = None,
    ) -> None:
        """`follow`: the learner as named now, when that may change while the exchange is
        open (`identity.FollowedIdentity`); else `actor`, for good."""
        self.db = db
        self._actor = actor
        self._follow = follow
        self._clock = clock

    @property
    def actor(self) -> Actor:
        return self._actor if self._follow is None else self._follow()

    def merge_report(self, statements: list[Any]) -> MergeResult:
        """Add other devices' statements (already on the server): what was new, what was
        already here and what was skipped as invalid."""
        with self.db.session() as session:
            return self.merge_in(session, statements)

    def merge_in(self, session: Session, statements: list[Any]) -> MergeResult:
        """`merge_report` within the caller's session, e.g. together with a sync cursor."""
        return self._merge(session, statements, "remote", to_millis(self._clock()))

    def export_to(self, path: Path) -> int:
        """Write the whole log to a progress file; returns the number of statements."""
        with self.db.session() as session:
            statements = store.all_statements(session)
        write_progress_file(path, self.actor, statements)
        return len(statements)

    def import_from(self, path: Path) -> int:
        """Merge a progress file (refused whole if damaged); returns how many were new.

        Imported statements are queued for upload: the server may never have seen them.
        """
        statements = read_progress_file(path, self.actor)
        with self.db.session() as session:
            return self._merge(session, statements, "imported", None).inserted

    def export_quarantine(self, path: Path) -> int:
        """Write the statements the server refused to a quarantine file; returns how many."""
        with self.db.session() as session:
            items = store.quarantined(session)
        return write_quarantine_file(path, items)

    def _merge(
        self, session: Session, statements: list[Any], origin: str, uploaded_at: datetime | None
    ) -> MergeResult:
        """One bulk insert of the valid statements not here yet; the rest are counted."""
        valid, problems = self._sorted_out(statements)
        new = store.unseen(session, valid)
        store.insert_statements(session, new, origin, uploaded_at)
        return MergeResult(len(new), len(valid) - len(new), len(problems), tuple(problems))

    def _sorted_out(self, statements: list[Any]) -> tuple[list[Statement], list[str]]:
        valid: list[Statement] = []
        problems: list[str] = []
        actor = self.actor
        for number, statement in enumerate(statements, start=1):
            problem = statement_problem(statement, actor)
            if problem:
                problems.append(f"statement {number}: {problem}")
            else:
                valid.append(statement)
        for problem in problems:
            log.warning("Skipped a progress statement: %s", problem)
        return valid, problems


class ProgressFileError(ValueError):
    """A progress file that cannot be imported; the message says why, for the learner."""


def checksum(statements: list[Statement]) -> str:
    return hashlib.sha256(canonical_json(statements).encode("utf-8")).hexdigest()


def write_progress_file(path: Path, actor: Actor, statements: list[Statement]) -> None:
    """Write the file whole or not at all (an existing file stays as it was)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "actor": actor.to_xapi(),
        "statements": statements,
        "sha256": checksum(statements),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomically(path, document, ensure_ascii=False, indent=1)


def read_progress_file(path: Path, actor: Actor) -> list[Statement]:
    """The statements in a progress file of `actor`; ProgressFileError if it cannot be used."""
    document = _load(path)
    _check_format(document)
    statements = document.get("statements")
    if not isinstance(statements, list):
        raise ProgressFileError(NO_STATEMENTS.format(file=path.name))
    if document.get("sha256") != checksum(statements):
        raise ProgressFileError(CHANGED.format(file=path.name))
    _check_learner(path, document.get("actor"), actor)
    _check_statements(path, statements, actor)
    return statements


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        raise ProgressFileError(UNREADABLE.format(path=str(path), reason=reason)) from error
    except UnicodeDecodeError as error:
        raise ProgressFileError(NOT_A_PROGRESS_FILE.format(file=path.name)) from error
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ProgressFileError(NOT_JSON.format(file=path.name)) from error
    if not isinstance(document, dict):
        raise ProgressFileError(NOT_A_PROGRESS_FILE.format(file=path.name))
    return document


def _check_format(document: dict[str, Any]) -> None:
    if document.get("format") != FORMAT:
        raise ProgressFileError(WRONG_FORMAT)
    version = document.get("version")
    if version != VERSION:
        raise ProgressFileError(WRONG_VERSION.format(version=repr(version), supported=VERSION))


def _check_learner(path: Path, agent: Any, actor: Actor) -> None:
    if actor.is_agent(agent):
        return
    account = agent.get("account") if isinstance(agent, dict) else None
    owner = account.get("name") if isinstance(account, dict) else None
    raise ProgressFileError(
        OTHER_LEARNER.format(
            file=path.name, owner=owner or ANOTHER_LEARNER, learner=actor.account_name
        )
    )


def _check_statements(path: Path, statements: list[Any], actor: Actor) -> None:
    for number, statement in enumerate(statements, start=1):
        problem = statement_problem(statement, actor)
        if problem:
            raise ProgressFileError(
                BAD_STATEMENT.format(file=path.name, number=number, problem=problem)
            )


def write_quarantine_file(path: Path, items: list[QuarantinedStatement]) -> int:
    """Write the set-aside statements as JSON (the stored text kept verbatim); returns count."""
    document = {
        "format": QUARANTINE_FORMAT,
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "statements": [_quarantine_entry(item) for item in items],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomically(path, document, ensure_ascii=False, indent=1)
    return len(items)


def _quarantine_entry(item: QuarantinedStatement) -> dict[str, Any]:
    return {
        "id": item.id,
        "reason": item.reason,
        "occurred_at": item.occurred_at.isoformat(),
        "statement": item.parsed(),
        "stored_text": item.statement_json,
    }
