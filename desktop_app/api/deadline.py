"""An overall deadline for each request, on top of the per-read timeout.

urllib3's read timeout starts again with every byte that arrives, so a server or proxy that
drips its reply a byte a second would hold sign-in, sync or a download for as long as it likes,
with nothing to show. Replies are therefore read here piece by piece as the bytes come in
(`read1`), and the clock is looked at after each piece; the per-read timeout is shortened to
what is left of the deadline when the request is sent, and still ends a connection that falls
silent later. Such a body is always JSON: the web page a captive portal sends in its place is
not read at all.

A download is a long transfer by nature: there every `DEADLINE_BYTES` bytes get a deadline of
their own, so a slow but moving link finishes while a dripping one stops (its partial file is
kept).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
import urllib3.exceptions

from desktop_app.api.errors import ApiError, BadPayloadError, DeadlineError, OfflineError
from desktop_app.api.failures import refuse_web_page
from desktop_app.api.socket_body import PlainBody

PIECE = 64 * 1024
DEADLINE_BYTES = 256 * 1024  # of a download, each given the whole deadline


@dataclass(frozen=True)
class Deadline:
    """When a request to `host` must be over, on the monotonic clock."""

    host: str
    seconds: float
    ends: float

    @classmethod
    def starting_now(cls, host: str, seconds: float) -> Deadline:
        return cls(host, seconds, time.monotonic() + seconds)

    def restarted(self) -> Deadline:
        return Deadline.starting_now(self.host, self.seconds)

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def timeouts(self, connect: float, read: float) -> tuple[float, float]:
        """requests' (connect, read) timeouts, the read one shortened to what is left."""
        return connect, max(min(read, self.remaining()), 0.001)

    def check(self) -> None:
        if self.remaining() <= 0:
            raise self.error()

    def error(self) -> DeadlineError:
        return DeadlineError(
            f"The server at {self.host} answered too slowly (its reply was not complete after "
            f"{self.seconds:g} seconds), so the request was stopped; please try again later."
        )


def load_body(response: requests.Response, deadline: Deadline) -> requests.Response:
    """Read a streamed reply's body now, within `deadline`: `.content` then needs no network.

    Every body read here should be JSON, so a web page in its place is a captive portal's and
    is refused unread (`CaptivePortalError`).
    """
    refuse_web_page(response, deadline.host)
    try:
        body = b"".join(_pieces(response, PIECE, deadline))
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise _broken(error, deadline) from error
    finally:
        response.close()
    response._content = body  # what requests itself fills in when it reads the body
    return response


def _pieces(response: requests.Response, size: int, deadline: Deadline) -> Iterator[bytes]:
    """The body as it arrives; DeadlineError once `deadline` has passed."""
    while piece := response.raw.read1(size, decode_content=True):
        deadline.check()
        yield piece


def _broken(error: BaseException, deadline: Deadline) -> ApiError:
    if deadline.remaining() <= 0:
        return deadline.error()
    if isinstance(error, urllib3.exceptions.DecodeError):
        return BadPayloadError("a reply that could not be decompressed")
    if isinstance(error, urllib3.exceptions.ReadTimeoutError | TimeoutError):
        return OfflineError(f"The server at {deadline.host} did not answer in time.")
    return OfflineError(f"The connection to {deadline.host} broke off during the transfer.")


class TimedStream:
    """A streamed reply (a download) whose every `DEADLINE_BYTES` bytes must arrive in time.

    Pieces are passed on as they arrive, smaller than asked for when the link is slow, so the
    caller keeps what came before the deadline. A plain body is read from the socket straight
    into the caller's buffer (`PlainBody`); any other through urllib3, and copied. Network
    errors other than the deadline come through as urllib3 errors.
    """

    def __init__(self, response: requests.Response, deadline: Deadline) -> None:
        self._response, self._deadline = response, deadline
        self.status_code: int = response.status_code
        self.headers: Any = response.headers
        self._plain = PlainBody.of(response)
        self._due = DEADLINE_BYTES

    def readinto(self, buffer: memoryview) -> int:
        """Fill the start of `buffer` with what the next read brings; 0 at the end of the body."""
        self._deadline.check()
        count = self._read(buffer)
        self._due -= count
        if self._due <= 0:
            self._deadline, self._due = self._deadline.restarted(), DEADLINE_BYTES
        return count

    def _read(self, buffer: memoryview) -> int:
        if self._plain is None:
            piece: bytes = self._response.raw.read1(len(buffer), decode_content=True)
            buffer[: len(piece)] = piece
            return len(piece)
        try:
            return self._plain.readinto(buffer)
        except OSError as error:  # a timeout, or the connection broke off
            raise urllib3.exceptions.ProtocolError("Connection broken", error) from error

    def close(self) -> None:
        self._response.close()
