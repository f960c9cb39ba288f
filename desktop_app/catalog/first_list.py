"""The course list of the account the start will open, read before its modules are imported.

Importing SQLAlchemy, requests and the services takes a second or more on an old machine, and
opening the account checks the whole cache. The list the learner came for needs neither: it
is read here with plain `sqlite3`, read-only and without waiting for a lock, through the same
statements as `Library.courses`. Nothing is written, so a damaged or locked cache is still
found, repaired or refused by `open_cache` as before; here it only means no early list.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.api.addresses import checked_base_url
from desktop_app.api.errors import ApiError
from desktop_app.catalog.rows import CourseRow, course_rows
from desktop_app.config import AccountPaths, content_store, load_settings
from desktop_app.content_store import ContentStore
from desktop_app.sqlite_read_only import connect_read_only

log = logging.getLogger(__name__)
COMPLETING_VERBS = (
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
)
"""`desktop_app.progress.state.COMPLETING_VERBS`, which a test keeps equal: importing the
progress package would import SQLAlchemy."""
COMPLETED_LESSON_IDS = """
SELECT DISTINCT lesson_id FROM progress_event WHERE verb IN (SELECT value FROM json_each(:verbs))
"""


@dataclass(frozen=True)
class FirstList:
    """The courses as the cache at `database` held them when the start read it."""

    database: Path
    courses: list[CourseRow]


def read_first_list(server: str | None, user: str | None) -> FirstList | None:
    """The course list of the account `resume_account` will open, or None where there is none
    to read yet (no account remembered, no cache, a damaged or busy one)."""
    settings = load_settings()
    username = user or settings.username
    if not username:
        return None
    try:
        paths = AccountPaths.for_account(checked_base_url(server or settings.server_url), username)
        return FirstList(paths.database, _read(paths.database))
    except (sqlite3.Error, OSError, ApiError) as error:
        log.debug("No early course list: %s", error)
        return None


def _read(database: Path) -> list[CourseRow]:
    with closing(connect_read_only(database, timeout=0)) as connection:

        def execute(sql: str, params: Any) -> list[Any]:
            return connection.execute(sql, params).fetchall()

        verbs = {"verbs": json.dumps(COMPLETING_VERBS)}
        completed = {lesson for (lesson,) in execute(COMPLETED_LESSON_IDS, verbs)}
        return course_rows(execute, ContentStore(content_store()).stored(), completed)
