"""Helpers for the sync tests: what a cache holds, and what a fresh full sync would hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK
from sqlalchemy import text

from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.db import Database
from desktop_app.sync.engine import SyncEngine
from reference_server.server import ReferenceServer

CATALOG, SCHEDULE = "/api/v1/sync/catalog", "/api/v1/sync/schedule"
CONTENT_TABLES = (
    "course",
    "module",
    "lesson",
    "asset",
    "lesson_asset",
    "residency",
    "residency_session",
    "enrolment",
    "search_index",
)
NEW_COURSE = {
    "id": "c-handover",
    "title": "Night shift handover",
    "summary": "Passing on what matters at the end of a shift.",
    "position": 9,
    "modules": [
        {
            "id": "m-handover-1",
            "title": "Basics",
            "lessons": [
                {
                    "id": "l-handover-checklist",
                    "title": "The SBAR handover checklist",
                    "kind": "reading",
                    "summary": "Situation, background, assessment, recommendation.",
                    "duration_seconds": 120,
                    "body": "media/privacy-deidentification.md",
                }
            ],
        }
    ],
}


def snapshot(db: Database) -> dict[str, set[tuple[Any, ...]]]:
    """Every content row of the cache, table by table."""
    with db.engine.connect() as connection:
        return {
            table: {tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))}
            for table in CONTENT_TABLES
        }


def fresh_snapshot(server: ReferenceServer, folder: Path) -> dict[str, set[tuple[Any, ...]]]:
    """What a brand-new cache holds after one full sync: exactly the server's content."""
    api = ApiClient(server.url, tokens=MemoryTokenStore(), config=FAST_NETWORK)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    db = Database(folder / "fresh.sqlite3")
    try:
        SyncEngine(db, api).run()
        return snapshot(db)
    finally:
        db.close()
        api.close()


def requests_to(server: ReferenceServer, path: str) -> int:
    return sum(1 for r in server.requests if r.path == path)
