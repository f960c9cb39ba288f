"""The small HTTP server that shares this computer's downloaded files with its peers.

It answers only `GET` and `HEAD` of `/sha256/<64 hex digits>`, for files verified into the
content store, with `Range` (206, or 416 for a range past the end); every other path is 404
and every other method 405. Nothing is listed, no file name or folder is ever looked up, and
nothing is written. At most `max_clients` requests are served at once (a further one waits up
to `SLOT_WAIT_S` for a slot, then is told 503), each connection gives up after `timeout`
seconds of silence, and `stop` ends the transfers in flight and joins their threads.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.content_store import ContentStore

log = logging.getLogger(__name__)

PATH = re.compile(r"^/sha256/([0-9a-f]{64})$")
RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")
PIECE = 256 * 1024
SERVER_NAME = "Rounds-share/1"
SLOT_WAIT_S = 1.0  # how long a request beyond max_clients waits for a slot before a 503


class ShareServer:
    """Serves `store` on `host` (a LAN address; 127.0.0.1 in tests), port 0 = any free one."""

    def __init__(
        self,
        store: ContentStore,
        host: str = "0.0.0.0",
        port: int = 0,
        *,
        max_clients: int = 8,
        timeout: float = 30.0,
    ) -> None:
        self._httpd = _Httpd((host, port), _Handler, store, max_clients, timeout)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = str(self._httpd.server_address[0])
        return f"http://{host}:{self.port}"

    @property
    def bytes_sent(self) -> int:
        """File bytes sent to peers since the start."""
        return self._httpd.bytes_sent

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="share-server", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop answering; transfers in flight end at their next piece; threads are joined."""
        self._httpd.stopping.set()
        self._httpd.hang_up()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ShareServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Httpd(ThreadingHTTPServer):
    daemon_threads = False  # server_close joins them
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        store: ContentStore,
        max_clients: int,
        timeout: float,
    ) -> None:
        self.store = store
        self.client_timeout = timeout
        self.slots = threading.BoundedSemaphore(max(max_clients, 1))
        self.stopping = threading.Event()
        self.bytes_sent = 0
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def count_sent(self, count: int) -> None:
        with self._open_lock:
            self.bytes_sent += count

    def hang_up(self) -> None:
        """End every connection in flight, so no thread waits on a silent peer."""
        with self._open_lock:
            for request in self._open:
                with contextlib.suppress(OSError):
                    request.shutdown(socket.SHUT_RDWR)

    def process_request(self, request: Any, client_address: Any) -> None:
        # a peer fetching files one after another may ask again before the thread that served
        # its last request has let its slot go: wait a moment for one rather than refuse
        if self.slots.acquire(timeout=SLOT_WAIT_S):
            super().process_request(request, client_address)
        else:
            _refuse_busy(request)
            self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            if not self.stopping.is_set():
                super().process_request_thread(request, client_address)
            else:
                self.shutdown_request(request)
        finally:
            with self._open_lock:
                self._open.discard(request)
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.info("A peer's request ended early", exc_info=True)


def _refuse_busy(request: socket.socket) -> None:
    with contextlib.suppress(OSError):
        request.sendall(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            b"Retry-After: 5\r\nConnection: close\r\n\r\n"
        )


class _Handler(BaseHTTPRequestHandler):
    server: _Httpd
    protocol_version = "HTTP/1.1"
    server_version = SERVER_NAME
    sys_version = ""

    def setup(self) -> None:
        self.request.settimeout(self.server.client_timeout)
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("peer %s: " + format, self.client_address[0], *args)

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _not_allowed(self) -> None:
        self._empty(405, {"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _answer(self, *, body: bool) -> None:
        match = PATH.match(self.path)
        if match is None:
            self._empty(404)
            return
        sha256 = match.group(1)
        path = self.server.store.path_for(sha256)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError:
            self._empty(404)
            return
        with handle:
            self._send(handle, path, sha256, body=body)

    def _send(self, handle: BinaryIO, path: Path, sha256: str, *, body: bool) -> None:
        size = path.stat().st_size
        span = _span(self.headers.get("Range"), size)
        if span is None:
            self._empty(416, {"Content-Range": f"bytes */{size}"})
            return
        start, end = span
        partial = (start, end) != (0, size - 1) and self.headers.get("Range") is not None
        self.send_response(206 if partial else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("ETag", f'"{sha256}"')
        self.send_header("Accept-Ranges", "bytes")
        if partial:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if body:
            handle.seek(start)
            self._copy(handle, end - start + 1)

    def _copy(self, handle: BinaryIO, count: int) -> None:
        while count > 0 and not self.server.stopping.is_set():
            piece = handle.read(min(PIECE, count))
            if not piece:
                break
            self.wfile.write(piece)
            self.server.count_sent(len(piece))
            count -= len(piece)
        if count:
            self.close_connection = True

    def _empty(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _span(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte asked for; None if the range cannot be served (416). A range
    header this server does not understand (several ranges, a suffix) gets the whole file."""
    if header is None or not (match := RANGE.match(header.strip())):
        return (0, size - 1) if size else (0, -1)
    start = int(match.group(1))
    end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
    if start >= size or end < start:
        return None
    return start, end
