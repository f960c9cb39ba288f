"""What the residency pages need from the core, in one place: read rows, check in, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.progress.overview import ReadinessRow
from desktop_app.residency.queries import ResidencyQueries
from desktop_app.residency.rows import ResidencyDetail, ResidencySummary

if TYPE_CHECKING:  # loaded by a check-in or an export: the window's reminders need neither
    from desktop_app.residency.checkin import CheckInResult, CheckInService
    from desktop_app.residency.reminders import ReminderBook


class ResidencyDesk:
    """The residency services the views talk to (built by `Study`, passed to the views);
    `checkins` gives the check-in service when a check-in is made."""

    def __init__(self, queries: ResidencyQueries, checkins: Callable[[], CheckInService]) -> None:
        self._queries = queries
        self._checkins = checkins
        self._reminders: ReminderBook | None = None

    def keep_reminders(self, book: ReminderBook) -> None:
        """Where the sessions marked for a reminder are kept (the window sets it)."""
        self._reminders = book

    @property
    def can_mark(self) -> bool:
        return self._reminders is not None

    def marked(self, residency_id: str) -> frozenset[str]:
        return self._reminders.marked(residency_id) if self._reminders else frozenset()

    def set_marked(self, residency_id: str, session_id: str, marked: bool) -> None:
        if self._reminders is not None:
            self._reminders.set_marked(residency_id, session_id, marked)

    def summaries(self) -> list[ResidencySummary]:
        return self._queries.summaries()

    def detail(self, residency_id: str) -> ResidencyDetail | None:
        return self._queries.detail(residency_id)

    def readiness(self) -> list[ReadinessRow]:
        return self._queries.readiness()

    def check_in(self, residency_id: str, code: str) -> CheckInResult:
        """Network work: run it off the UI thread."""
        return self._checkins().check_in(residency_id, code)

    def export_ics(self, residency: ResidencyDetail, path: Path) -> Path:
        from desktop_app.residency.calendar_export import export_ics

        return export_ics(residency, path, marked=self.marked(residency.id))
