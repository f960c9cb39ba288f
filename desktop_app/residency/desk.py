"""What the residency pages need from the core, in one place: read rows, check in, export."""

from __future__ import annotations

from pathlib import Path

from desktop_app.progress.overview import ReadinessRow
from desktop_app.residency.calendar_export import export_ics
from desktop_app.residency.checkin import CheckInResult, CheckInService
from desktop_app.residency.queries import ResidencyQueries
from desktop_app.residency.rows import ResidencyDetail, ResidencySummary


class ResidencyDesk:
    """The residency services the views talk to (built in gui/shell.py, passed to the views)."""

    def __init__(self, queries: ResidencyQueries, checkins: CheckInService) -> None:
        self._queries = queries
        self._checkins = checkins

    def summaries(self) -> list[ResidencySummary]:
        return self._queries.summaries()

    def detail(self, residency_id: str) -> ResidencyDetail | None:
        return self._queries.detail(residency_id)

    def readiness(self) -> list[ReadinessRow]:
        return self._queries.readiness()

    def check_in(self, residency_id: str, code: str) -> CheckInResult:
        """Network work: run it off the UI thread."""
        return self._checkins.check_in(residency_id, code)

    def export_ics(self, residency: ResidencyDetail, path: Path) -> Path:
        return export_ics(residency, path)
