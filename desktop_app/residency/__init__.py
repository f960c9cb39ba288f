"""Residency day: the agenda in venue time, prerequisites, calendar export, badge, check-in.

No Qt here: the views in `desktop_app.views.residency` show the frozen rows this package
builds, and the command line uses the same check-in service.
"""

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
