"""Trying one file again: backoff on broken connections, a bound on damaged copies.

`run_with_retries` turns the exceptions of `fetch_asset` into one `Outcome`:
- a broken connection is tried again after an exponential backoff with jitter; attempts that
  brought new bytes do not count against the limit, so a flaky link still finishes;
- a copy that fails verification is fetched again, at most `verify_attempts` times;
- a file another process is downloading is looked at again every `busy_poll` seconds, for as
  long as that takes: once the other process has finished, it is in the store and done;
- an unreachable server, an expired sign-in or a disk about to fill up (or full: ENOSPC,
  EDQUOT) halts the queue (the remaining files pause, with the reason; partial files stay);
- anything else fails the file with a one-line message; an error nobody foresaw (a bug, not a
  server's answer or a file system's refusal) also leaves its traceback in the log.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.api.errors import (
    ApiError,
    AuthenticationError,
    OfflineError,
    ProblemError,
    ServerError,
)
from desktop_app.downloads.fetch import (
    BusyElsewhere,
    DiskFullError,
    DownloadStopped,
    TransferError,
    VerificationError,
)
from desktop_app.downloads.plan import NotEnoughSpaceError
from desktop_app.downloads.snapshot import StopReason
from desktop_app.text import translate

log = logging.getLogger(__name__)

DONE, STOPPED, FAILED, HALTED = "done", "stopped", "failed", "halted"
SIGN_IN_EXPIRED = translate("downloads", "Your sign-in has expired. Sign in again to resume.")
PAUSED_OFFLINE = translate("downloads", "{reason} Downloads are paused; resume when back online.")
GAVE_UP = translate("downloads", "{reason} (gave up after several attempts)")
DAMAGED = translate(
    "downloads",
    "The file arrived damaged {times} times (its checksum did not match) and was deleted. "
    "The server's copy may be corrupt; tell your course administrator.",
)
GONE = translate("downloads", "The server no longer has this file. Sync, then try again.")
NOT_WRITTEN = translate("downloads", "Could not write the file: {reason}.")
UNEXPECTED = translate(
    "downloads",
    "The download stopped on an unexpected error ({error}); details are in the log.",
)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # connection failures in a row that brought no new bytes
    verify_attempts: int = 3  # copies that failed verification
    base_delay: float = 1.0
    max_delay: float = 60.0
    jitter: float = 0.5
    busy_poll: float = 1.0  # seconds between looks at a file another process is downloading

    def delay(self, failures: int) -> float:
        wait: float = min(self.base_delay * 2.0 ** max(failures - 1, 0), self.max_delay)
        return wait + random.uniform(0, self.jitter * wait)


@dataclass(frozen=True)
class Outcome:
    kind: str  # DONE, STOPPED, FAILED or HALTED
    message: str = ""
    reason: StopReason = StopReason.NONE


class JobControl:
    """Lets another thread stop a running download; `reason` says why."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""
        self.bytes_seen = 0

    def stop(self, reason: str) -> None:
        self.reason = self.reason or reason
        self._event.set()

    @property
    def stopped(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True if asked to stop meanwhile."""
        return self._event.wait(seconds)


@dataclass
class _Tally:
    failures: int = 0
    damaged: int = 0


def run_with_retries(
    attempt: Callable[[], object],
    control: JobControl,
    policy: RetryPolicy,
    on_attempt: Callable[[], None] = lambda: None,
) -> Outcome:
    """Call `attempt` until it succeeds, is stopped, or the policy gives up."""
    tally = _Tally()
    while True:
        seen_before = control.bytes_seen
        on_attempt()
        try:
            attempt()
            return Outcome(DONE)
        except Exception as error:  # classified below; unknown ones fail the file
            outcome, wait = _after_failure(error, tally, policy, control.bytes_seen > seen_before)
        if outcome is not None:
            return outcome
        if control.wait(wait):
            return Outcome(STOPPED)


def _after_failure(
    error: Exception, tally: _Tally, policy: RetryPolicy, progressed: bool
) -> tuple[Outcome | None, float]:
    """The final outcome, or None and how long to wait before the next attempt."""
    if isinstance(error, DownloadStopped):
        return Outcome(STOPPED), 0
    if isinstance(error, BusyElsewhere):
        return None, policy.busy_poll
    if isinstance(error, VerificationError):
        tally.damaged += 1
        if tally.damaged >= policy.verify_attempts:
            return Outcome(FAILED, _damaged_message(tally.damaged)), 0
        return None, policy.delay(1)
    if isinstance(error, NotEnoughSpaceError | DiskFullError):
        return Outcome(HALTED, error.message, StopReason.NO_SPACE), 0
    if isinstance(error, AuthenticationError):
        return Outcome(HALTED, SIGN_IN_EXPIRED), 0
    if _is_transient(error):
        tally.failures = 0 if progressed else tally.failures + 1
        if tally.failures >= policy.attempts:
            return _gave_up(error), 0
        return None, policy.delay(tally.failures)
    return Outcome(FAILED, _failure_message(error)), 0


def _is_transient(error: Exception) -> bool:
    if isinstance(error, TransferError | OfflineError | ServerError):
        return True
    from desktop_app.api.failures import unanswered  # loaded with the request that failed

    return unanswered(error)


def _gave_up(error: Exception) -> Outcome:
    if isinstance(error, OfflineError):
        return Outcome(HALTED, PAUSED_OFFLINE.format(reason=error.message))
    return Outcome(FAILED, GAVE_UP.format(reason=_failure_message(error)))


def _damaged_message(times: int) -> str:
    return DAMAGED.format(times=times)


def _failure_message(error: Exception) -> str:
    if isinstance(error, ProblemError) and error.status == 404:
        return GONE
    if isinstance(error, ApiError):
        return error.message
    if isinstance(error, TransferError):
        return error.args[0] if error.args else str(error)
    if isinstance(error, OSError):
        return NOT_WRITTEN.format(reason=error.strerror or str(error))
    return failed_unexpectedly(error).message


def failed_unexpectedly(error: Exception) -> Outcome:
    """A bug's traceback goes to the log; the learner reads one line naming it."""
    log.error("A download failed on an unexpected error", exc_info=error)
    first = (str(error).strip().splitlines() or [""])[0][:120]
    named = f"{type(error).__name__}: {first}" if first else type(error).__name__
    return Outcome(FAILED, UNEXPECTED.format(error=named))
