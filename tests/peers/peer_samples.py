"""What the sharing tests share: the learners' course, a learner's download, and a peer that
sends too slowly."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase

from downloads_samples import FAST_RETRY, WAIT, asset_requests

from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadManager
from desktop_app.downloads.fetch import AssetSource
from reference_server.server import ReferenceServer

COURSE = "c-residency"


@dataclass(frozen=True)
class Learner:
    db: Database
    store: ContentStore

    def download(self, source: AssetSource) -> None:
        manager = DownloadManager(self.db, self.store, source, retry=FAST_RETRY, disk_floor_bytes=0)
        try:
            manager.start()
            manager.download(manager.plan(COURSE))
            assert manager.wait_until_idle(WAIT)
        finally:
            manager.close()


def asked_of_server(server: ReferenceServer, digests: list[str]) -> int:
    return sum(len(asset_requests(server, digest)) for digest in digests)


class TricklingPeer:
    """A peer on loopback that has `files` (by SHA-256) and sends them as a far or busy peer
    would: `head` bytes at once, then `piece` bytes every `pause` seconds, each well inside a
    reader's timeout; with `slow_headers`, its answer's headers the same way. It answers every
    request with the whole file (200) and records the paths asked for."""

    def __init__(
        self,
        files: Mapping[str, bytes],
        *,
        head: int = 0,
        piece: int = 1000,
        pause: float = 0.05,
        slow_headers: bool = False,
    ) -> None:
        self.files, self.head, self.piece, self.pause = dict(files), head, piece, pause
        self.slow_headers = slow_headers
        self.asked: list[str] = []
        self.stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = False  # server_close joins them
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> TricklingPeer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()

    def send(self, out: BufferedIOBase, data: bytes, *, slowly: bool) -> None:
        """Write `data` (after `head` bytes, if not `slowly`, a piece at a time)."""
        start = 0 if slowly else min(self.head, len(data))
        out.write(data[:start])
        for offset in range(start, len(data), self.piece):
            if self.stopping.wait(self.pause):
                return
            out.write(data[offset : offset + self.piece])


def _handler_for(peer: TricklingPeer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            peer.asked.append(self.path)
            sha256 = self.path.removeprefix("/sha256/")
            body = peer.files.get(sha256)
            status = "200 OK" if body is not None else "404 Not Found"
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\n"
                f'Content-Length: {len(body or b"")}\r\nETag: "{sha256}"\r\n'
                "Connection: close\r\n\r\n"
            ).encode()
            try:
                peer.send(self.wfile, head, slowly=peer.slow_headers)
                peer.send(self.wfile, body or b"", slowly=False)
            except OSError:  # the reader hung up on it
                pass

    return Handler
