"""How a failure is told to the learner: one plain sentence, and what it means for sync."""

from __future__ import annotations

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


@dataclass(frozen=True)
class ErrorReport:
    message: str
    offline: bool = False
    session_expired: bool = False


def describe(error: BaseException) -> ErrorReport:
    if isinstance(error, SessionExpiredError):
        return ErrorReport(
            "Your sign-in has expired. Please sign in again; nothing saved on this computer "
            "is lost.",
            session_expired=True,
        )
    if isinstance(error, DeadlineError | CaptivePortalError):  # already says what to do
        return ErrorReport(error.message, offline=True)
    if isinstance(error, OfflineError):
        return ErrorReport(f"Offline: {error.message}", offline=True)
    if isinstance(error, ApiError):
        return ErrorReport(error.message)
    if isinstance(error, DamagedCacheError):
        return ErrorReport(
            "The cache on this computer is damaged; Rounds saves what it can read of your "
            "progress and rebuilds it when this account next opens, in the window or a command."
        )
    if cache_busy(error):
        return ErrorReport(
            "Another program is using the cache on this computer (Rounds open elsewhere, or a "
            "backup or database tool), so nothing in it was changed; close it and try again."
        )
    if isinstance(error, OSError):
        return ErrorReport(f"Could not read or write a file: {error.strerror or error}")
    return ErrorReport(f"Something went wrong: {error}")


def cache_busy(error: BaseException) -> bool:
    """Whether another program held the cache locked past SQLite's wait, on opening it or on
    writing (SQLAlchemy wraps the error then); the transaction was rolled back."""
    reason = getattr(error, "orig", None) or error
    code = getattr(reason, "sqlite_errorcode", 0) if isinstance(reason, sqlite3.Error) else 0
    return isinstance(error, CacheBusyError) or code & 0xFF in BUSY_CODES
