"""Downloading a file from a peer first, from the server otherwise.

`PeerSource` wraps the server's source: for each file it asks the known peers in turn for
`/sha256/<hex>` (with `Range` when resuming), and hands the first one that has it to the
download, which hashes and verifies it against the catalog exactly as a server download.
A peer that cannot be reached, refuses, has not got the file, answers oddly or falls silent
for `timeout` seconds is passed over, and the file comes from the next peer or the server.
A peer that trickles (its answer not there within `RateFloor.window_s`, or its body slower
than `RateFloor.bytes_per_s` over that window, which any LAN peer beats many times over) is
cut off and not asked again this run; the bytes it sent stay in the partial file and the server
sends the rest (`Range`), and the whole file is verified against the catalog before it is
kept. Each peer is asked for a file at most once per run; a file asked for again from the start
after a peer sent part or all of it failed verification, so that peer is marked bad for the
session. Peers are reached directly (no proxy): they are on the same network by definition.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RateFloor:
    """The slowest a peer may send: `bytes_per_s` over each `window_s` (the answer's headers
    within one window). A LAN peer sends megabytes a second; the server is the better source
    for anything slower."""

    bytes_per_s: int = 256 * 1024
    window_s: float = 10.0


class TooSlow(ConnectionError):
    """The peer sent more slowly than the floor; the download goes on from the server."""


class PeerStream:
    """A peer's answer, read as the download reads the server's; a broken, silent or
    trickling connection is a `ConnectionError`, which the download tries again (from the
    server)."""

    def __init__(
        self,
        url: str,
        connection: http.client.HTTPConnection,
        response: Any,
        floor: RateFloor,
        clock: Callable[[], float],
        drop: Callable[[str], None],
    ) -> None:
        self.url = url
        self._connection, self._response = connection, response
        self.status_code: int = response.status
        self.headers = {name: value for name, value in response.getheaders()}
        self._expected = int(response.getheader("Content-Length") or -1)
        self.received = 0
        self.complete = False
        self._floor, self._clock, self._drop = floor, clock, drop
        self._window = (clock(), 0)  # when the current window began, bytes received by then
        self._cut: TooSlow | None = None

    def readinto(self, buffer: memoryview) -> int:
        """What one read of the socket brings (so each returns within the timeout); after a
        window below the floor, `TooSlow` instead (the bytes before it are the download's)."""
        if self._cut is not None:
            raise self._cut
        try:
            data = self._response.read1(len(buffer))
        except (OSError, http.client.HTTPException) as error:
            raise ConnectionError(f"peer {self.url}: {error}") from error
        count = len(data)
        buffer[:count] = data
        self.received += count
        if not count and self.received == self._expected:
            self.complete = True
        elif count:
            self._keep_pace()
        return count

    def _keep_pace(self) -> None:
        """Cut the peer off (at the next read) once a window has passed with fewer bytes than
        the floor asks; it is then dropped for the run."""
        began, before = self._window
        now = self._clock()
        if now - began < self._floor.window_s:
            return
        if self.received - before < self._floor.bytes_per_s * (now - began):
            rate = (self.received - before) / (now - began)
            log.info("Peer %s sends at %.0f KB/s; the server sends the rest", self.url, rate / 1024)
            self._drop(self.url)
            self._cut = TooSlow(f"peer {self.url}: {rate / 1024:.0f} KB/s")
        self._window = (now, self.received)

    def close(self) -> None:
        self._connection.close()


class PeerSource:
    """A source that asks the peers in `peers` first, then `source` (the server)."""

    def __init__(
        self,
        source: Source,
        peers: PeerList,
        *,
        timeout: float = 5.0,
        floor: RateFloor = RateFloor(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._source, self._peers, self._timeout = source, peers, timeout
        self._floor, self._clock = floor, clock
        self._lock = threading.Lock()
        self._asked: dict[str, set[str]] = {}
        self._sent: dict[str, list[PeerStream]] = {}  # peers' answers since the file's start

    def open_asset_stream(self, sha256: str, start_byte: int = 0, etag: str | None = None) -> Any:
        if is_sha256(sha256):
            self._judge(sha256, start_byte)
            while (url := self._next_peer(sha256)) is not None:
                stream = self._open_peer(url, sha256, start_byte)
                if stream is not None:
                    return stream
        return self._source.open_asset_stream(sha256, start_byte, etag)

    def _judge(self, sha256: str, start_byte: int) -> None:
        """A file asked for again from its start after peers sent part or all of it was
        refused by verification (the download asks only for files not in the store, and
        starts over only when its partial file was thrown away)."""
        if start_byte:
            return
        with self._lock:
            sent = self._sent.pop(sha256, [])
        for stream in sent:
            if stream.received:
                log.warning("Peer %s sent a file that failed verification", stream.url)
                self._peers.mark_bad(stream.url)

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
        late = threading.Event()
        try:
            connection.connect()
            with _hanging_up_after(connection.sock, self._floor.window_s, late):
                connection.request("GET", f"/sha256/{sha256}", headers=headers)
                response = connection.getresponse()
            if late.is_set():  # what came before the hang-up may parse as a short answer
                raise TimeoutError(f"no answer within {self._floor.window_s:g} s")
            stream = PeerStream(
                url, connection, response, self._floor, self._clock, self._peers.mark_bad
            )
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            if late.is_set():  # trickled its answer's headers: dropped like a slow body
                self._peers.mark_bad(url)
            log.info("Peer %s could not be asked for %s: %s", url, sha256[:12], error)
            return None
        if not _fits(stream, sha256, start):
            stream.close()
            return None
        with self._lock:
            self._sent.setdefault(sha256, []).append(stream)
        return stream


@contextlib.contextmanager
def _hanging_up_after(sock: socket.socket, seconds: float, late: threading.Event) -> Iterator[None]:
    """Shut `sock` if the block has not ended within `seconds` (each read's timeout alone
    lets a peer trickle its headers for ever); `late` says it was."""

    def hang_up() -> None:
        late.set()
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(seconds, hang_up)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()


def _fits(stream: PeerStream, sha256: str, start: int) -> bool:
    """Whether the peer answered with this file, from the byte asked for."""
    if stream.headers.get("ETag") != f'"{sha256}"':
        return False
    if start == 0:
        return stream.status_code == 200
    return stream.status_code == 206 and str(stream.headers.get("Content-Range", "")).startswith(
        f"bytes {start}-"
    )
