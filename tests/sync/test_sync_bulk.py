"""What keeps syncing cheap for the client, counted in SQL statements with an in-memory feed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from desktop_app.api.documents import AssetRef, CourseDoc, LessonDoc, ModuleDoc
from desktop_app.api.payloads import FeedPage
from desktop_app.db import Database
from desktop_app.sync.engine import SyncEngine


def generated_courses(count: int, lessons: int) -> list[CourseDoc]:
    def lesson(c: int, n: int) -> LessonDoc:
        asset = AssetRef(f"{c:032x}{n:032x}", 100, "text/markdown", "body", "l.md", "")
        return LessonDoc(f"l-{c}-{n}", f"Lesson {n}", "reading", n, "", 60, (asset,), None)

    return [
        CourseDoc(
            f"c-{c}",
            f"Course {c}",
            "",
            1,
            c,
            None,
            (ModuleDoc(f"m-{c}", "Module", 0, tuple(lesson(c, n) for n in range(lessons))),),
        )
        for c in range(count)
    ]


class MemoryFeeds:
    """The two feeds served from memory; the cursor is the index of the next course."""

    def __init__(self, courses: list[CourseDoc]) -> None:
        self.courses = courses
        self.requests = 0

    def catalog_page(self, cursor: str = "", limit: int = 200) -> FeedPage[CourseDoc]:
        self.requests += 1
        start = int(cursor or 0)
        items = tuple(self.courses[start : start + limit])
        return FeedPage(items, str(start + len(items)), start + limit < len(self.courses))

    def schedule_page(self, cursor: str = "", limit: int = 200) -> FeedPage[object]:
        self.requests += 1
        return FeedPage((), cursor or "0", False)


class StatementLog:
    """The SQL statements the engine sends, as (verb, rows): one entry per cursor execution."""

    def __init__(self, db: Database) -> None:
        self.entries: list[tuple[str, int]] = []
        event.listen(db.engine, "before_cursor_execute", self._note)

    def _note(self, _conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        self.entries.append((sql.split(None, 1)[0].upper(), len(params) if many else 1))

    def writes(self) -> list[tuple[str, int]]:
        return [entry for entry in self.entries if entry[0] in ("INSERT", "UPDATE", "DELETE")]


def test_a_sync_without_changes_reads_the_pages_and_writes_only_the_cursors(
    tmp_path: Path,
) -> None:
    """What keeps a no-change sync cheap (`make bench` times it): no row is written again."""
    db = Database(tmp_path / "cache.sqlite3")
    feeds = MemoryFeeds(generated_courses(100, 20))
    engine = SyncEngine(db, feeds, page_size=50)  # type: ignore[arg-type]
    engine.run()
    feeds.requests = 0
    statements = StatementLog(db)

    summary = engine.run()
    assert not summary.changed and feeds.requests == 2
    assert statements.writes() == [("UPDATE", 1)] * feeds.requests  # each feed's sync state
    db.close()


def test_pages_are_written_in_bulk(tmp_path: Path) -> None:
    """400 courses with 10,000 lessons go in a few statements per page, not one per row."""
    db = Database(tmp_path / "cache.sqlite3")
    statements = StatementLog(db)
    summary = SyncEngine(db, MemoryFeeds(generated_courses(400, 25))).run()  # type: ignore[arg-type]
    assert summary.courses_added == 400
    inserted = sum(rows for verb, rows in statements.writes() if verb == "INSERT")
    assert inserted >= 400 + 10_000
    assert len(statements.entries) < 10 * summary.pages, (len(statements.entries), summary.pages)
    db.close()
