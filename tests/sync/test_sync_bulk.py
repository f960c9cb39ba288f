"""Client-side cost of syncing, measured with an in-memory feed (no network in the timing)."""

from __future__ import annotations

import time
from pathlib import Path

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


def test_a_sync_without_changes_costs_the_client_under_50_ms(tmp_path: Path) -> None:
    db = Database(tmp_path / "cache.sqlite3")
    feeds = MemoryFeeds(generated_courses(100, 20))
    engine = SyncEngine(db, feeds, page_size=50)  # type: ignore[arg-type]
    engine.run()
    feeds.requests = 0

    timings = []
    for _ in range(5):
        started = time.perf_counter()
        summary = engine.run()
        timings.append(time.perf_counter() - started)
    assert not summary.changed and feeds.requests == 10
    assert min(timings) < 0.050, timings
    db.close()


def test_pages_are_written_in_bulk(tmp_path: Path) -> None:
    """400 courses with 10,000 lessons: a generous bound that only row-by-row writing breaks."""
    db = Database(tmp_path / "cache.sqlite3")
    started = time.perf_counter()
    summary = SyncEngine(db, MemoryFeeds(generated_courses(400, 25))).run()  # type: ignore[arg-type]
    assert summary.courses_added == 400
    assert time.perf_counter() - started < 5.0
    db.close()
