"""A download's body read from the socket straight into the caller's buffer.

urllib3's `read1` hands each piece over as a new bytes object, copied through its own buffers
on the way; for a 200 MB file that is most of the app's time after hashing and writing. A body
sent as it is (a Content-Length, no Content-Encoding, not chunked) is read here through
http.client's buffered socket reader with `readinto1`: one system call puts as much as has
arrived into the caller's buffer, and the bytes are not copied again. The length is counted
here, so nothing past the body is read from a connection that carries on; and once the whole
body has come, the reply is finished as http.client and urllib3 would finish it themselves, so
the connection goes back to the pool for the next file instead of being closed (a new TCP and TLS
handshake for every small file).

Any other body (compressed by a proxy, or chunked) is None here, and is read through urllib3.
"""

from __future__ import annotations

import io
from typing import Any

import requests


class PlainBody:
    """The rest of a plain body; reads raise the socket's own errors (TimeoutError, OSError)."""

    def __init__(self, raw: Any, message: Any, reader: io.BufferedReader, length: int) -> None:
        self._raw, self._message = raw, message  # urllib3's reply, http.client's under it
        self._reader, self.left = reader, length

    @classmethod
    def of(cls, response: requests.Response) -> PlainBody | None:
        """The body of `response` if it came as it was sent and nothing has read from it."""
        raw: Any = response.raw
        message: Any = getattr(raw, "_fp", None)  # http.client's HTTPResponse, under urllib3's
        reader, length = getattr(message, "fp", None), getattr(message, "length", None)
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        untouched = getattr(raw, "_fp_bytes_read", None) == 0
        if encoded or not untouched or getattr(message, "chunked", True):
            return None
        if not isinstance(reader, io.BufferedReader) or not isinstance(length, int):
            return None
        return cls(raw, message, reader, length)

    def readinto(self, buffer: memoryview) -> int:
        """What has arrived, up to the buffer's size; 0 at the end (or when the peer closed)."""
        if self.left <= 0:
            self._finish()  # an empty body's first read, or a read after the end
            return 0
        count = self._reader.readinto1(buffer[: min(len(buffer), self.left)])
        self.left -= count
        if self.left == 0:
            self._finish()
        return count

    def _finish(self) -> None:
        """Close http.client's reply as its own read does at the end of the body (the
        connection will not take another request before), then hand the connection back to
        urllib3's pool; the socket is not touched here again. Doing it twice changes nothing."""
        self._message.length = 0
        self._message.close()
        self._raw.release_conn()
