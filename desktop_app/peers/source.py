"""Downloading a file from a peer first, from the server otherwise.

`PeerSource` wraps the server's source: for each file it asks the known peers in turn for
`/sha256/<hex>` (with `Range` when resuming), and hands the first one that has it to the
download, which hashes and verifies it against the catalog exactly as a server download.
A peer that cannot be reached, refuses, has not got the file, answers oddly or falls silent
for `timeout` seconds is passed over, and the file comes from the next peer or the server.
Each peer is asked for a file at most once per run; a file asked for again from the start
after a peer sent all of it failed verification, so that peer is marked bad for the session.
Peers are reached directly (no proxy): they are on the same network by definition.
"""

from __future__ import annotations

import http.client
import logging
import threading
from typing import Any, Protocol
from urllib.parse import urlsplit

from desktop_app.content_store import is_sha256
from desktop_app.peers.peer_list import PeerList

log = logging.getLogger(__name__)


class Stream(Protocol):
    status_code: int
    headers: Any

    def readinto(self, buffer: memoryview) -> int: ...

    def close(self) -> None: ...


class Source(Protocol):
    def open_asset_stream(
        self, sha256: str, start_byte: int = 0, etag: str | None = None
    ) -> Stream: ...


class PeerStream:
    """A peer's answer, read as the download reads the server's; a broken or silent
    connection is a `ConnectionError`, which the download tries again (from the server)."""

    def __init__(self, url: str, connection: http.client.HTTPConnection, response: Any) -> None:
        self.url = url
        self._connection, self._response = connection, response
        self.status_code: int = response.status
        self.headers = {name: value for name, value in response.getheaders()}
        self._expected = int(response.getheader("Content-Length") or -1)
        self._received = 0
        self.complete = False

    def readinto(self, buffer: memoryview) -> int:
        try:
            count: int = self._response.readinto(buffer)
        except (OSError, http.client.HTTPException) as error:
            raise ConnectionError(f"peer {self.url}: {error}") from error
        self._received += count
        if not count and self._received == self._expected:
            self.complete = True
        return count

    def close(self) -> None:
        self._connection.close()


class PeerSource:
    """A source that asks the peers in `peers` first, then `source` (the server)."""

    def __init__(self, source: Source, peers: PeerList, *, timeout: float = 5.0) -> None:
        self._source, self._peers, self._timeout = source, peers, timeout
        self._lock = threading.Lock()
        self._asked: dict[str, set[str]] = {}
        self._last: dict[str, PeerStream] = {}

    def open_asset_stream(self, sha256: str, start_byte: int = 0, etag: str | None = None) -> Any:
        if is_sha256(sha256):
            self._judge_last(sha256, start_byte)
            while (url := self._next_peer(sha256)) is not None:
                stream = self._open_peer(url, sha256, start_byte)
                if stream is not None:
                    return stream
        return self._source.open_asset_stream(sha256, start_byte, etag)

    def _judge_last(self, sha256: str, start_byte: int) -> None:
        """A file asked for again from its start after a peer sent all of it was refused by
        verification (the download asks only for files not in the store)."""
        with self._lock:
            last = self._last.pop(sha256, None)
        if last is not None and last.complete and start_byte == 0:
            log.warning("Peer %s sent a file that failed verification", last.url)
            self._peers.mark_bad(last.url)

    def _next_peer(self, sha256: str) -> str | None:
        with self._lock:
            asked = self._asked.setdefault(sha256, set())
            for url in self._peers.usable():
                if url not in asked:
                    asked.add(url)
                    return url
        return None

    def _open_peer(self, url: str, sha256: str, start: int) -> PeerStream | None:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(
            parts.hostname or "", parts.port or 80, timeout=self._timeout
        )
        headers = {"Range": f"bytes={start}-"} if start else {}
        try:
            connection.request("GET", f"/sha256/{sha256}", headers=headers)
            stream = PeerStream(url, connection, connection.getresponse())
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            log.info("Peer %s could not be asked for %s: %s", url, sha256[:12], error)
            return None
        if not _fits(stream, sha256, start):
            stream.close()
            return None
        with self._lock:
            self._last[sha256] = stream
        return stream


def _fits(stream: PeerStream, sha256: str, start: int) -> bool:
    """Whether the peer answered with this file, from the byte asked for."""
    if stream.headers.get("ETag") != f'"{sha256}"':
        return False
    if start == 0:
        return stream.status_code == 200
    return stream.status_code == 206 and str(stream.headers.get("Content-Range", "")).startswith(
        f"bytes {start}-"
    )
