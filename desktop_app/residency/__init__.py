"""Residency day: the agenda in venue time, prerequisites, calendar export, badge, check-in.

No Qt here: the views in `desktop_app.views.residency` show the frozen rows this package
builds, and the command line uses the same check-in service.

The names below load on first use (PEP 562): the window reads residencies for its reminders
and loads the check-in, the badge and the calendar export only when one is used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.lazy_names import names_from

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
    "BadgeClaims": ".badge",
    "BadgeInfo": ".rows",
    "CheckInOutcome": ".checkin",
    "CheckInRecord": ".rows",
    "CheckInResult": ".checkin",
    "CheckInService": ".checkin",
    "CheckInStatus": ".rows",
    "CheckInWindow": ".rows",
    "Completion": ".prerequisites",
    "InvalidBadge": ".badge",
    "PostCheckin": ".checkin",
    "PrerequisiteRow": ".rows",
    "PrerequisiteState": ".rows",
    "ResidencyDesk": ".desk",
    "ResidencyDetail": ".rows",
    "ResidencyQueries": ".queries",
    "ResidencySummary": ".rows",
    "SessionRow": ".rows",
    "TimeSpan": ".times",
    "WindowState": ".rows",
    "badge_png": ".badge",
    "badge_qr": ".badge",
    "course_lesson_ids": ".queries",
    "export_ics": ".calendar_export",
    "progress_completion": ".prerequisites",
    "read_claims": ".badge",
    "residency_calendar": ".calendar_export",
    "verify_badge": ".badge",
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


__getattr__ = names_from(__name__, _HOMES)
