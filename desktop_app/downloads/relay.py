"""A loopback relay that lets a media player stream a lesson's file from the server.

The server's asset URLs need the account's bearer token, which a media player cannot send.
The relay listens on 127.0.0.1 only, under a random path prefix, serves only the files it was
told about, and forwards each request's byte range to the server through the account's own
client (`AssetSource`), so a seek in the middle of a video is one ranged request. A reply the
server stops sending (a deadline passed while the player was paused) is asked for again from
where it stopped.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from desktop_app.downloads.fetch import AssetSource, AssetStream

log = logging.getLogger(__name__)

PIECE = 64 * 1024
REOPENS = 3
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass(frozen=True)
class RelayedFile:
    size: int
    mime_type: str


@dataclass(frozen=True)
class Span:
    """Bytes `start` to `end`, both included."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def requested_span(header: str | None, size: int) -> Span | None:
    """The one range a `Range` header asks for; None for the whole file (no header, or one
    this relay does not take apart, as RFC 9110 allows); ValueError if it lies outside."""
    match = _RANGE.fullmatch((header or "").strip())
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        if int(last) == 0 or size == 0:
            raise ValueError(f"no last {last} bytes of a file of {size}")
        return Span(max(size - int(last), 0), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # not a valid range, so no range: the whole file (RFC 9110, 14.2)
    if start >= size:
        raise ValueError(f"range starts at {start}, the file has {size} bytes")
    return Span(start, min(int(last), size - 1) if last else size - 1)


class AssetRelay:
    """Serves registered files at `url_for(sha256)`; started on first use, `close()` ends it."""

    def __init__(self, source: AssetSource) -> None:
        self._source = source
        self._files: dict[str, RelayedFile] = {}
        self._prefix = secrets.token_urlsafe(16)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def url_for(self, sha256: str, size: int, mime_type: str = "") -> str:
        """The loopback address a player opens to stream this file."""
        with self._lock:
            self._files[sha256] = RelayedFile(size, mime_type or "application/octet-stream")
            server = self._server or self._start()
        host, port = server.server_address[:2]
        return f"http://{host!s}:{port}/{self._prefix}/{sha256}"

    def close(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def _start(self) -> ThreadingHTTPServer:
        relay = self

        class Handler(_RelayHandler):
            owner = relay

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name="asset-relay", daemon=True).start()
        self._server = server
        return server

    def file(self, path: str) -> tuple[str, RelayedFile] | None:
        prefix, _, sha256 = path.lstrip("/").partition("/")
        # as bytes: compare_digest refuses text that is not ASCII, which a request may hold
        if not secrets.compare_digest(prefix.encode(errors="replace"), self._prefix.encode()):
            return None
        with self._lock:
            found = self._files.get(sha256)
        return (sha256, found) if found else None

    def open(self, sha256: str, start: int) -> AssetStream:
        return self._source.open_asset_stream(sha256, start, f'"{sha256}"' if start else None)


class _RelayHandler(BaseHTTPRequestHandler):
    owner: AssetRelay
    protocol_version = "HTTP/1.1"
    _position = 0

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("relay: " + format, *args)

    def _serve(self, body: bool) -> None:
        found = self.owner.file(self.path)
        if found is None:
            self.send_error(404)
            return
        sha256, relayed = found
        try:
            span = requested_span(self.headers.get("Range"), relayed.size)
        except ValueError:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{relayed.size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        whole = span or Span(0, relayed.size - 1)
        self.send_response(200 if span is None else 206)
        self.send_header("Content-Type", relayed.mime_type)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(max(whole.length, 0)))
        if span is not None:
            self.send_header("Content-Range", f"bytes {span.start}-{span.end}/{relayed.size}")
        self.end_headers()
        if body and whole.length > 0:
            self._copy(sha256, whole)

    def _copy(self, sha256: str, span: Span) -> None:
        self._position, reopens = span.start, 0
        while self._position <= span.end:
            try:
                self._copy_from(sha256, span.end)
            except (BrokenPipeError, ConnectionResetError):
                return  # the player closed this request (a seek, or the lesson was left)
            except Exception as error:
                reopens += 1
                if reopens > REOPENS:
                    log.info("Streaming %s stopped at %d: %s", sha256[:12], self._position, error)
                    self.close_connection = True
                    return

    def _copy_from(self, sha256: str, end: int) -> None:
        """Pass the server's bytes on from `_position` up to `end`, moving `_position`."""
        stream = self.owner.open(sha256, self._position)
        try:
            skip = self._position if self._position and stream.status_code != 206 else 0
            view = memoryview(bytearray(PIECE))
            while self._position <= end:
                count = stream.readinto(view)
                if count == 0:
                    raise EOFError("the server's reply ended early")
                piece = view[:count]
                if skip:  # the server sent the whole file: pass over what came before
                    dropped = min(skip, count)
                    piece, skip = piece[dropped:], skip - dropped
                piece = piece[: end - self._position + 1]
                self.wfile.write(piece)
                self._position += len(piece)
        finally:
            stream.close()
