"""A shared, read-only folder of course files (IT's network share, or `/var/lib/rounds/content`)
looked in before the server: a file found there is copied into the store instead of downloaded.

The folder is laid out as a content store (`<first two hex digits>/<sha256>`), so IT fills it
by importing course packages with ROUNDS_HOME pointing above it, or by copying a content folder.
Its files go through the download's own path: hashed as they are written to the partial file
and renamed into the store only if the SHA-256 matches, so a damaged or altered file on the
share is never used. Copied rather than read in place: the store's files must stay there when
the laptop leaves the ward and the share, and a file on a share can change after it was checked.
A file that failed once (altered on the share, or the share went away mid-copy) is fetched
from the server on the next attempt.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import BinaryIO

from desktop_app.content_store import ContentStore, is_sha256
from desktop_app.downloads.fetch import AssetSource, AssetStream


class SharedFileStream:
    """A file on the share, answered as the server would (206 and Content-Range if resumed)."""

    def __init__(self, handle: BinaryIO, start: int, size: int) -> None:
        self._handle = handle
        self.status_code = 206 if start else 200
        self.headers = {"Content-Range": f"bytes {start}-{size - 1}/{size}"} if start else {}

    def readinto(self, buffer: memoryview) -> int:
        return self._handle.readinto(buffer)  # type: ignore[attr-defined, no-any-return]

    def close(self) -> None:
        self._handle.close()


class SharedFolderSource:
    """An AssetSource that reads from the shared folder first, else from `source`."""

    def __init__(self, folder: Path, source: AssetSource) -> None:
        self._shared = ContentStore(folder)
        self._source = source
        self._tried: set[str] = set()
        self._lock = threading.Lock()

    def open_asset_stream(
        self, sha256: str, start_byte: int = 0, etag: str | None = None
    ) -> AssetStream:
        stream = self._open_shared(sha256, start_byte) if is_sha256(sha256) else None
        if stream is not None:
            return stream
        return self._source.open_asset_stream(sha256, start_byte, etag)

    def _open_shared(self, sha256: str, start: int) -> SharedFileStream | None:
        with self._lock:
            if sha256 in self._tried:
                return None
            self._tried.add(sha256)
        path = self._shared.path_for(sha256)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed by the stream's close()
            size = path.stat().st_size
        except OSError:
            return None
        handle.seek(start)
        return SharedFileStream(handle, start, size)


def with_shared_folder(source: AssetSource, folder: str) -> AssetSource:
    """`source`, looking in `folder` first if it is set ("" = no shared folder)."""
    return SharedFolderSource(Path(folder).expanduser(), source) if folder.strip() else source
