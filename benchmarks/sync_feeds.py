"""The catalog sync benchmark's recorded feed pages, and the limit it compares the client with.

The pages are recorded once with `requests`, so a sync can be timed on the client alone:
`RecordedFeeds` answers the engine with the recorded bytes, decoded and parsed exactly as
`ApiClient` does. The limit is the least any client could do with the same bytes: `json.loads`,
then `sqlite3.executemany` of the same rows (courses, modules, lessons, assets, lesson links,
search index, cursors) into the same schema, one transaction per page, with the cyclic
collector paused as the client pauses it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from desktop_app.api.documents import CourseDoc, ResidencyDoc, parse_course, parse_residency
from desktop_app.api.gc_pause import collector_paused
from desktop_app.api.payloads import FeedPage, parse_feed_page
from desktop_app.db import Database
from desktop_app.sync.engine import DEFAULT_PAGE_SIZE

USER, PASSWORD = "bench", "bench-password"
PAGE_SIZE = DEFAULT_PAGE_SIZE
TABLES = ("course", "module", "lesson", "asset", "lesson_asset", "search_index")


@dataclass
class Recording:
    """Each feed's reply bodies by the cursor they answer, and the cursors a first sync reads.

    The one cursor not in `first_sync` is the end of the feed: what a sync with no changes reads.
    """

    pages: dict[str, dict[str, bytes]] = field(default_factory=dict)
    first_sync: dict[str, list[str]] = field(default_factory=dict)

    def first_sync_bodies(self, feed: str) -> list[bytes]:
        return [self.pages[feed][cursor] for cursor in self.first_sync[feed]]

    @property
    def megabytes(self) -> float:
        return sum(len(b) for pages in self.pages.values() for b in pages.values()) / 2**20


class RecordedFeeds:
    """`ApiClient.catalog_page` and `schedule_page`, answered from a recording: the same bytes,
    decoded and parsed by the same calls, with the collector paused as `ApiClient` pauses it."""

    def __init__(self, recording: Recording) -> None:
        self._recording = recording

    def catalog_page(self, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage[CourseDoc]:
        body = self._body("catalog", cursor, limit)
        with collector_paused():
            return parse_feed_page(json.loads(body), "course", parse_course, "catalog")

    def schedule_page(self, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage[ResidencyDoc]:
        body = self._body("schedule", cursor, limit)
        with collector_paused():
            return parse_feed_page(json.loads(body), "residency", parse_residency, "schedule")

    def _body(self, feed: str, cursor: str, limit: int) -> bytes:
        if limit != PAGE_SIZE:
            raise ValueError(f"pages were recorded {PAGE_SIZE} at a time, not {limit}")
        return self._recording.pages[feed][cursor]


def _signed_in_session(server_url: str) -> requests.Session:
    session = requests.Session()
    credentials = {"username": USER, "password": PASSWORD}
    reply = session.post(f"{server_url}/api/v1/auth/token", json=credentials, timeout=60)
    reply.raise_for_status()
    session.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
    return session


def _get_page(session: requests.Session, server_url: str, feed: str, cursor: str) -> bytes:
    params: dict[str, str | int] = {"limit": PAGE_SIZE, **({"cursor": cursor} if cursor else {})}
    reply = session.get(f"{server_url}/api/v1/sync/{feed}", params=params, timeout=60)
    reply.raise_for_status()
    return reply.content


def record(server_url: str) -> Recording:
    """Every page of both feeds from the start, then the (empty) page at the end of each."""
    recording = Recording()
    with _signed_in_session(server_url) as session:
        for feed in ("catalog", "schedule"):
            pages: dict[str, bytes] = {}
            cursors: list[str] = []
            cursor, more = "", True
            while more:
                cursors.append(cursor)
                pages[cursor] = _get_page(session, server_url, feed, cursor)
                reply = json.loads(pages[cursor])
                cursor, more = reply["next_cursor"], reply["has_more"]
            pages[cursor] = _get_page(session, server_url, feed, cursor)
            recording.pages[feed], recording.first_sync[feed] = pages, cursors
    return recording


def http_seconds(server_url: str, recording: Recording) -> float:
    """How long the GETs of a first sync take, the bodies fetched and nothing more."""
    with _signed_in_session(server_url) as session:
        started = time.perf_counter()
        for feed, cursors in recording.first_sync.items():
            for cursor in cursors:
                _get_page(session, server_url, feed, cursor)
        return time.perf_counter() - started


# --- the limit: json.loads and sqlite3.executemany ------------------------------------------

_COLUMNS = {
    "course": "id, title, summary, version, position, updated_at",
    "module": "id, course_id, title, position",
    "lesson": "id, module_id, course_id, title, kind, position, summary, duration_seconds, "
    "quiz_json",
    "asset": "sha256, size, mime_type",
    "lesson_asset": "lesson_id, sha256, role, name, language",
    "search_index": "kind, ref_id, course_id, title, summary",
}
_INSERT = {
    table: f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * (columns.count(',') + 1))})"
    for table, columns in _COLUMNS.items()
}
_INSERT["asset"] += " ON CONFLICT (sha256) DO NOTHING"
_CURSOR = (
    "INSERT INTO sync_state (stream, cursor, last_error) VALUES (?, ?, '') "
    "ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor"
)
Rows = dict[str, list[tuple[Any, ...]]]


def _naive_utc(value: str | None) -> str | None:
    """A time as the cache stores it (SQLAlchemy's naive UTC text)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(" ", "microseconds")


def _add_lesson(rows: Rows, assets: dict[str, Any], s: dict[str, Any], m: str, c: str) -> None:
    quiz = None if s["quiz"] is None else json.dumps(s["quiz"], separators=(",", ":"))
    rows["lesson"].append(
        (s["id"], m, c, s["title"], s["kind"], s["position"], s["summary"],
         s["duration_seconds"] or 0, quiz)
    )  # fmt: skip
    rows["search_index"].append(("lesson", s["id"], c, s["title"], s["summary"]))
    for a in s["assets"]:
        assets[a["sha256"]] = (a["sha256"], a["size"], a["mime_type"])
        links = rows["lesson_asset"]
        links.append((s["id"], a["sha256"], a["role"], a.get("name", ""), a.get("language", "")))


def _limit_rows(items: list[dict[str, Any]]) -> Rows:
    rows: Rows = {table: [] for table in TABLES}
    assets: dict[str, Any] = {}
    for item in items:
        c = item["course"]
        rows["course"].append(
            (c["id"], c["title"], c["summary"], c["version"], c["position"],
             _naive_utc(c["updated_at"]))
        )  # fmt: skip
        rows["search_index"].append(("course", c["id"], c["id"], c["title"], c["summary"]))
        for m in c["modules"]:
            rows["module"].append((m["id"], c["id"], m["title"], m["position"]))
            for lesson in m["lessons"]:
                _add_lesson(rows, assets, lesson, m["id"], c["id"])
    rows["asset"] = list(assets.values())
    return rows


def _raw_connection(path: Path) -> sqlite3.Connection:
    """The cache file at head revision, opened with plain sqlite3 and the app's pragmas."""
    Database(path).close()
    connection = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def limit_sync(recording: Recording, path: Path) -> float:
    """Seconds to decode the pages of a first sync and insert their rows with executemany."""
    with closing(_raw_connection(path)) as connection:
        started = time.perf_counter()
        with collector_paused():
            for feed in ("catalog", "schedule"):
                for body in recording.first_sync_bodies(feed):
                    page = json.loads(body)
                    rows = _limit_rows(page["items"] if feed == "catalog" else [])
                    with connection:
                        for table, values in rows.items():
                            connection.executemany(_INSERT[table], values)
                        connection.execute(_CURSOR, (feed, page["next_cursor"]))
        return time.perf_counter() - started


def row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
