"""Residency day: the agenda in venue time, prerequisites, calendar export, badge, check-in.

No Qt here: the views in `desktop_app.views.residency` show the frozen rows this package
builds, and the command line uses the same check-in service.

The names below load on first use (PEP 562): the window reads residencies for its reminders
and loads the check-in, the badge and the calendar export only when one is used."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.residency.badge import (
        BadgeClaims,
        InvalidBadge,
        badge_png,
        badge_qr,
        read_claims,
        verify_badge,
    )
    from desktop_app.residency.calendar_export import export_ics, residency_calendar
    from desktop_app.residency.checkin import (
        CheckInOutcome,
        CheckInResult,
        CheckInService,
        PostCheckin,
    )
    from desktop_app.residency.desk import ResidencyDesk
    from desktop_app.residency.prerequisites import Completion, progress_completion
    from desktop_app.residency.queries import ResidencyQueries, course_lesson_ids
    from desktop_app.residency.rows import (
        BadgeInfo,
        CheckInRecord,
        CheckInStatus,
        CheckInWindow,
        PrerequisiteRow,
        PrerequisiteState,
        ResidencyDetail,
        ResidencySummary,
        SessionRow,
        WindowState,
    )
    from desktop_app.residency.times import TimeSpan

_HOMES = {
    "BadgeClaims": "desktop_app.residency.badge",
    "BadgeInfo": "desktop_app.residency.rows",
    "CheckInOutcome": "desktop_app.residency.checkin",
    "CheckInRecord": "desktop_app.residency.rows",
    "CheckInResult": "desktop_app.residency.checkin",
    "CheckInService": "desktop_app.residency.checkin",
    "CheckInStatus": "desktop_app.residency.rows",
    "CheckInWindow": "desktop_app.residency.rows",
    "Completion": "desktop_app.residency.prerequisites",
    "InvalidBadge": "desktop_app.residency.badge",
    "PostCheckin": "desktop_app.residency.checkin",
    "PrerequisiteRow": "desktop_app.residency.rows",
    "PrerequisiteState": "desktop_app.residency.rows",
    "ResidencyDesk": "desktop_app.residency.desk",
    "ResidencyDetail": "desktop_app.residency.rows",
    "ResidencyQueries": "desktop_app.residency.queries",
    "ResidencySummary": "desktop_app.residency.rows",
    "SessionRow": "desktop_app.residency.rows",
    "TimeSpan": "desktop_app.residency.times",
    "WindowState": "desktop_app.residency.rows",
    "badge_png": "desktop_app.residency.badge",
    "badge_qr": "desktop_app.residency.badge",
    "course_lesson_ids": "desktop_app.residency.queries",
    "export_ics": "desktop_app.residency.calendar_export",
    "progress_completion": "desktop_app.residency.prerequisites",
    "read_claims": "desktop_app.residency.badge",
    "residency_calendar": "desktop_app.residency.calendar_export",
    "verify_badge": "desktop_app.residency.badge",
}
__all__ = [
    "BadgeClaims",
    "BadgeInfo",
    "CheckInOutcome",
    "CheckInRecord",
    "CheckInResult",
    "CheckInService",
    "CheckInStatus",
    "CheckInWindow",
    "Completion",
    "InvalidBadge",
    "PostCheckin",
    "PrerequisiteRow",
    "PrerequisiteState",
    "ResidencyDesk",
    "ResidencyDetail",
    "ResidencyQueries",
    "ResidencySummary",
    "SessionRow",
    "TimeSpan",
    "WindowState",
    "badge_png",
    "badge_qr",
    "course_lesson_ids",
    "export_ics",
    "progress_completion",
    "read_claims",
    "residency_calendar",
    "verify_badge",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
