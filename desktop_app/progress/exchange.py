"""Progress files: moving a learner's log between machines that are never online.

A file is JSON: `{"format": "rounds-progress", "version": 1, "actor": {...}, "statements": [...],
"sha256": "..."}`, the checksum taken over the canonical JSON of `statements`. A file that is
damaged, changed after export, of another format or of another learner is refused whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from desktop_app.progress.validation import statement_problem
from desktop_app.progress.xapi import Actor, Statement, canonical_json

FORMAT = "rounds-progress"
VERSION = 1


class ProgressFileError(ValueError):
    """A progress file that cannot be imported; the message says why, for the learner."""


def checksum(statements: list[Statement]) -> str:
    return hashlib.sha256(canonical_json(statements).encode("utf-8")).hexdigest()


def write_progress_file(path: Path, actor: Actor, statements: list[Statement]) -> None:
    """Write the file next to its destination first, then move it into place."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "actor": actor.to_xapi(),
        "statements": statements,
        "sha256": checksum(statements),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, path)


def read_progress_file(path: Path, actor: Actor) -> list[Statement]:
    """The statements in a progress file of `actor`; ProgressFileError if it cannot be used."""
    document = _load(path)
    _check_format(document)
    statements = document.get("statements")
    if not isinstance(statements, list):
        raise ProgressFileError(f"{path.name} is damaged: it holds no list of statements.")
    if document.get("sha256") != checksum(statements):
        raise ProgressFileError(
            f"{path.name} is damaged or was changed after it was exported (checksum mismatch)."
        )
    _check_learner(path, document.get("actor"), actor)
    _check_statements(path, statements, actor)
    return statements


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProgressFileError(f"Could not read {path}: {error.strerror or error}.") from error
    except UnicodeDecodeError as error:
        raise ProgressFileError(f"{path.name} is not a Rounds progress file.") from error
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ProgressFileError(f"{path.name} is not a Rounds progress file (not JSON).") from error
    if not isinstance(document, dict):
        raise ProgressFileError(f"{path.name} is not a Rounds progress file.")
    return document


def _check_format(document: dict[str, Any]) -> None:
    if document.get("format") != FORMAT:
        raise ProgressFileError("This is not a Rounds progress file.")
    version = document.get("version")
    if version != VERSION:
        raise ProgressFileError(
            f"This progress file has format version {version!r}; this Rounds reads version "
            f"{VERSION}. Update Rounds to import it."
        )


def _check_learner(path: Path, agent: Any, actor: Actor) -> None:
    if actor.is_agent(agent):
        return
    account = agent.get("account") if isinstance(agent, dict) else None
    owner = account.get("name") if isinstance(account, dict) else None
    raise ProgressFileError(
        f"{path.name} holds the progress of {owner or 'another learner'!s}, "
        f"not of {actor.username} on {actor.home_page}."
    )


def _check_statements(path: Path, statements: list[Any], actor: Actor) -> None:
    for number, statement in enumerate(statements, start=1):
        problem = statement_problem(statement, actor)
        if problem:
            raise ProgressFileError(f"{path.name} is damaged: statement {number}: {problem}.")
