"""How a failure is told to the learner: one plain sentence, and what it means for sync."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass

from desktop_app.api.errors import (
    ApiError,
    CaptivePortalError,
    DeadlineError,
    OfflineError,
    SessionExpiredError,
)
from desktop_app.db import BUSY_CODES, CacheBusyError, DamagedCacheError
from desktop_app.policy import NotAllowedError
from desktop_app.progress.validation import DamagedStatementError
from desktop_app.text import translate

log = logging.getLogger(__name__)

SIGN_IN_EXPIRED = translate(
    "errors",
    "Your sign-in has expired. Please sign in again; nothing saved on this computer is lost.",
)
OFFLINE = translate("errors", "Offline: {reason}")
CACHE_DAMAGED = translate(
    "errors",
    "The cache on this computer is damaged; Rounds saves what it can read of your progress and "
    "rebuilds it when this account next opens, in the window or a command.",
)
CACHE_BUSY = translate(
    "errors",
    "Another program is using the cache on this computer (Rounds open elsewhere, or a backup "
    "or database tool), so nothing in it was changed; close it and try again.",
)
DAMAGED_ROW = translate(
    "errors",
    "Some of what Rounds keeps on this computer is damaged and could not be read; sync again, "
    "and if this stays, choose Help ▸ Save diagnostics… and send the file to your IT support.",
)
FILE_ERROR = translate("errors", "Could not read or write a file: {reason}")
UNEXPECTED = translate("errors", "Something went wrong: {reason}")


@dataclass(frozen=True)
class ErrorReport:
    message: str
    offline: bool = False
    session_expired: bool = False


def describe(error: BaseException) -> ErrorReport:
    if isinstance(error, SessionExpiredError):
        return ErrorReport(SIGN_IN_EXPIRED, session_expired=True)
    if isinstance(error, DeadlineError | CaptivePortalError):  # already says what to do
        return ErrorReport(error.message, offline=True)
    if isinstance(error, OfflineError):
        return ErrorReport(OFFLINE.format(reason=error.message), offline=True)
    if isinstance(error, ApiError):
        return ErrorReport(error.message)
    if isinstance(error, NotAllowedError):
        return ErrorReport(error.message)
    if isinstance(error, DamagedCacheError):
        return ErrorReport(CACHE_DAMAGED)
    if isinstance(error, DamagedStatementError | json.JSONDecodeError):
        log.warning("Damaged data in the cache: %s", error)  # the detail, for diagnostics
        return ErrorReport(DAMAGED_ROW)
    if cache_busy(error):
        return ErrorReport(CACHE_BUSY)
    if isinstance(error, OSError):
        return ErrorReport(FILE_ERROR.format(reason=error.strerror or str(error)))
    return ErrorReport(UNEXPECTED.format(reason=str(error)))


def cache_busy(error: BaseException) -> bool:
    """Whether another program held the cache locked past SQLite's wait, on opening it or on
    writing (SQLAlchemy wraps the error then); the transaction was rolled back."""
    reason = getattr(error, "orig", None) or error
    code = getattr(reason, "sqlite_errorcode", 0) if isinstance(reason, sqlite3.Error) else 0
    return isinstance(error, CacheBusyError) or code & 0xFF in BUSY_CODES
