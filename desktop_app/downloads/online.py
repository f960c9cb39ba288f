"""Studying a lesson that is not downloaded, while the server can be reached.

A video or audio lesson streams through the loopback relay (`AssetRelay`): its media plays at
once, and its captions, a small file, are fetched into the content store first. A reading or
a PDF is fetched into the content store (verified by SHA-256 like any download) and then
opened from there like a downloaded lesson. The relay, and the standard library's HTTP server
it is built on, load with the first lesson streamed: an idle window does not hold them.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads.content import LessonFiles, lesson_files
from desktop_app.downloads.fetch import AssetSource, fetch_asset
from desktop_app.models import Asset, Lesson, LessonAsset

if TYPE_CHECKING:
    from desktop_app.downloads.relay import AssetRelay

STREAMED_ROLES = frozenset({"media"})
FETCHED_ROLES = frozenset({"body", "document", "image", "captions"})
OPTIONAL_ROLES = frozenset({"captions"})  # the lesson opens without them

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _File:
    role: str
    sha256: str
    size: int
    mime_type: str


class OnlineLessons:
    """Opens lessons from the server; `close()` stops the relay."""

    def __init__(self, db: Database, store: ContentStore, source: AssetSource) -> None:
        self._db, self._store, self._source = db, store, source
        self._relay: AssetRelay | None = None
        self._relay_made = threading.Lock()  # lessons open on the runner's threads

    def open(self, lesson_id: str) -> LessonFiles | None:
        """The lesson ready to study (off the UI thread: this talks to the server); None if
        it is no longer in the cache. Raises the client's errors when offline."""
        files = self._files(lesson_id)
        if files is None:
            return None
        streams: dict[str, str] = {}
        for file in sorted(files, key=lambda file: file.role in OPTIONAL_ROLES):
            if self._store.has(file.sha256):
                continue
            if file.role in STREAMED_ROLES:
                streams[file.role] = self._stream(file)
            elif file.role in OPTIONAL_ROLES:
                self._fetch_extra(lesson_id, file)
            elif file.role in FETCHED_ROLES:
                self._fetch(file)
        content = lesson_files(self._db, self._store, lesson_id)
        if content is None:
            return None
        return dataclasses.replace(content, streams=streams) if streams else content

    def close(self) -> None:
        with self._relay_made:
            relay = self._relay
        if relay is not None:
            relay.close()

    @property
    def relay(self) -> AssetRelay:
        """The loopback relay, made with the first lesson streamed."""
        with self._relay_made:
            if self._relay is None:
                from desktop_app.downloads.relay import AssetRelay

                self._relay = AssetRelay(self._source)
            return self._relay

    def _files(self, lesson_id: str) -> list[_File] | None:
        query = (
            select(LessonAsset.role, Asset.sha256, Asset.size, Asset.mime_type)
            .join(Asset, Asset.sha256 == LessonAsset.sha256)
            .where(LessonAsset.lesson_id == lesson_id)
        )
        with self._db.session() as session:
            if session.get(Lesson, lesson_id) is None:
                return None
            return [_File(*row) for row in session.execute(query)]

    def _stream(self, file: _File) -> str:
        """The relay's address for the file, once the server has answered for its last byte
        (so an offline server is told now, not by a player that stays black)."""
        self._source.open_asset_stream(file.sha256, max(file.size - 1, 0)).close()
        return self.relay.url_for(file.sha256, file.size, file.mime_type)

    def _fetch_extra(self, lesson_id: str, file: _File) -> None:
        try:
            self._fetch(file)
        except Exception as error:  # the lesson plays without its captions
            log.info("Captions of lesson %s not fetched: %s", lesson_id, error)

    def _fetch(self, file: _File) -> None:
        fetch_asset(
            self._source,
            self._store,
            file.sha256,
            file.size,
            should_stop=lambda: False,
            on_bytes=lambda _count: None,
        )
