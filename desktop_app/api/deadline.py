"""An overall deadline for each request, on top of the per-read timeout.

urllib3's read timeout starts again with every byte that arrives, so a server or proxy that
drips its reply a byte a second would hold sign-in, sync or a download for as long as it likes,
with nothing to show. Replies are therefore read here piece by piece as the bytes come in
(`read1`), and the clock is looked at after each piece. No wait for the network outlasts the
deadline either: every connect, every wait for a reply's head (retries included, through
`ShrinkingTimeout`) and every read of its body is given the per-read timeout or what is left of
the deadline, whichever is shorter, so a server that falls silent just before the deadline is
given up on at the deadline, not one read timeout later. Such a body is always JSON: the web
page a captive portal sends in its place is not read at all.

A download is a long transfer by nature: there every `DEADLINE_BYTES` bytes get a deadline of
their own, so a slow but moving link finishes while a dripping one stops (its partial file is
kept).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import requests
import urllib3.exceptions

from desktop_app.api.errors import ApiError, BadPayloadError, DeadlineError, OfflineError
from desktop_app.api.failures import BROKE_OFF, NOT_DECOMPRESSED, TOO_SLOW, refuse_web_page
from desktop_app.api.socket_body import PlainBody
from desktop_app.text import translate

STOPPED_SLOW = translate(
    "errors",
    "The server at {host} answered too slowly (its reply was not complete after {seconds} "
    "seconds), so the request was stopped; please try again later.",
)

PIECE = 64 * 1024
DEADLINE_BYTES = 256 * 1024  # of a download, each given the whole deadline


@dataclass(frozen=True)
class Deadline:
    """When a request to `host` must be over, on the monotonic clock, and the longest any one
    wait for the network may last before then (the per-read timeout)."""

    host: str
    seconds: float
    ends: float
    read_timeout: float

    @classmethod
    def starting_now(cls, host: str, seconds: float, read_timeout: float) -> Deadline:
        return cls(host, seconds, time.monotonic() + seconds, read_timeout)

    def restarted(self) -> Deadline:
        return Deadline.starting_now(self.host, self.seconds, self.read_timeout)

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def wait(self, longest: float) -> float:
        """`longest`, shortened to what is left (never 0, which a socket takes as "do not wait")."""
        return max(min(longest, self.remaining()), 0.001)

    def timeouts(self, connect: float) -> tuple[float, float]:
        """requests' (connect, read) timeouts, both shortened to what is left."""
        return self.wait(connect), self.wait(self.read_timeout)

    def check(self) -> None:
        if self.remaining() <= 0:
            raise self.error()

    def error(self) -> DeadlineError:
        return DeadlineError(STOPPED_SLOW.format(host=self.host, seconds=f"{self.seconds:g}"))


class ShrinkingTimeout(urllib3.Timeout):
    """urllib3's timeouts, each shortened to what is left of `deadline` when urllib3 asks for
    it: before every connect and every wait for a reply's head, a retry's included."""

    def __init__(self, connect: float, deadline: Deadline) -> None:
        super().__init__(connect=connect, read=deadline.read_timeout)
        self.longest_connect, self.deadline = connect, deadline

    def clone(self) -> ShrinkingTimeout:
        return ShrinkingTimeout(self.longest_connect, self.deadline)

    @property
    def connect_timeout(self) -> float:
        return self.deadline.wait(self.longest_connect)

    @property
    def read_timeout(self) -> float:
        return self.deadline.wait(self.deadline.read_timeout)


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
    while piece := read_piece(response, size, deadline):
        yield piece


def read_piece(response: requests.Response, size: int, deadline: Deadline) -> bytes:
    """The next bytes of the body through urllib3 (b"" at its end), as `_within` reads."""
    return _within(response, deadline, lambda: response.raw.read1(size, decode_content=True))


def _within[T](response: requests.Response, deadline: Deadline, read: Callable[[], T]) -> T:
    """`read()` of `response`'s body, waited for no longer than the read timeout or what is
    left of `deadline`: DeadlineError if it was the deadline that ran out, urllib3's
    ReadTimeoutError if the read timeout did, its ProtocolError if the connection broke off.

    urllib3 maps the socket's errors itself; a plain body's read (`PlainBody`) raises them as
    they are, and they are mapped here the same way.
    """
    deadline.check()
    longest = deadline.wait(deadline.read_timeout)
    _set_read_timeout(response, longest)
    try:
        return read()
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as error:
        if longest < deadline.read_timeout:
            raise deadline.error() from error
        pool: Any = response.raw._pool  # None once the reply has let go of its pool
        message = f"Read timed out. (read timeout={longest:g})"
        raise urllib3.exceptions.ReadTimeoutError(pool, response.url, message) from error
    except OSError as error:  # the connection broke off under a plain body
        raise urllib3.exceptions.ProtocolError(f"Connection broken: {error!r}", error) from error


def _set_read_timeout(response: requests.Response, seconds: float) -> None:
    """The socket's timeout for the next read: urllib3 set it once, when the reply's head came.

    The socket is reached through the file http.client reads the body from (urllib3's `_fp`,
    its `fp`, that file's socket), which holds it even where the connection has let go of it
    (a reply that closes the connection). A reply read to its end has no socket left to wait on.
    """
    body_file = getattr(getattr(response.raw, "_fp", None), "fp", None)
    sock = getattr(getattr(body_file, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _broken(error: BaseException, deadline: Deadline) -> ApiError:
    if deadline.remaining() <= 0:
        return deadline.error()
    if isinstance(error, urllib3.exceptions.DecodeError):
        return BadPayloadError(NOT_DECOMPRESSED)
    if isinstance(error, urllib3.exceptions.ReadTimeoutError | TimeoutError):
        return OfflineError(TOO_SLOW.format(host=deadline.host))
    return OfflineError(BROKE_OFF.format(host=deadline.host))


class TimedStream:
    """A streamed reply (a download) whose every `DEADLINE_BYTES` bytes must arrive in time.

    Pieces are passed on as they arrive, smaller than asked for when the link is slow, so the
    caller keeps what came before the deadline. A plain body is read from the socket straight
    into the caller's buffer (`PlainBody`); any other through urllib3, and copied. Network
    errors other than the deadline come through as urllib3 errors (`_within`).
    """

    def __init__(self, response: requests.Response, deadline: Deadline) -> None:
        self._response, self._deadline = response, deadline
        self.status_code: int = response.status_code
        self.headers: Any = response.headers
        self._plain = PlainBody.of(response)
        self._due = DEADLINE_BYTES

    def readinto(self, buffer: memoryview) -> int:
        """Fill the start of `buffer` with what the next read brings (0 at the end of the body):
        from the socket straight into it for a plain body, else through urllib3 and copied.
        Every `DEADLINE_BYTES` bytes get the whole deadline anew."""
        if self._plain is None:
            piece = read_piece(self._response, len(buffer), self._deadline)
            buffer[: len(piece)] = piece
            count = len(piece)
        else:
            count = _within(self._response, self._deadline, partial(self._plain.readinto, buffer))
        self._due -= count
        if self._due <= 0:
            self._deadline, self._due = self._deadline.restarted(), DEADLINE_BYTES
        return count

    def close(self) -> None:
        self._response.close()
