"""What a sync run did, counted as it goes and reported as one frozen summary."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.sync.catalog import CatalogChanges
from desktop_app.sync.schedule import ScheduleChanges


@dataclass(frozen=True)
class SyncSummary:
    courses_added: int = 0
    courses_updated: int = 0
    courses_removed: int = 0
    residencies_added: int = 0
    residencies_updated: int = 0
    residencies_removed: int = 0
    assets_released: int = 0
    pages: int = 0
    items: int = 0
    duration_seconds: float = 0.0
    cancelled: bool = False

    @property
    def changed(self) -> bool:
        return self.items > 0

    def __str__(self) -> str:
        if self.cancelled:
            head = "Sync stopped"
        elif not self.changed:
            return f"Up to date (checked in {self.duration_seconds:.2f} s)"
        else:
            head = "Synced"
        courses = _counts(self.courses_added, self.courses_updated, self.courses_removed)
        residencies = _counts(
            self.residencies_added, self.residencies_updated, self.residencies_removed
        )
        return (
            f"{head}: courses {courses}; residencies {residencies} "
            f"({self.pages} pages in {self.duration_seconds:.2f} s)"
        )


def _counts(added: int, updated: int, removed: int) -> str:
    return f"{added} new, {updated} updated, {removed} removed"


@dataclass
class Tally:
    """Running totals of one sync run."""

    courses: tuple[int, int, int] = (0, 0, 0)
    residencies: tuple[int, int, int] = (0, 0, 0)
    assets_released: int = 0
    pages: int = 0
    items: int = 0

    def add(self, changes: CatalogChanges | ScheduleChanges, items: int) -> None:
        self.pages += 1
        self.items += items
        counts = (changes.added, changes.updated, changes.removed)
        if isinstance(changes, CatalogChanges):
            self.courses = _plus(self.courses, counts)
            self.assets_released += len(changes.released_assets)
        else:
            self.residencies = _plus(self.residencies, counts)

    def summary(self, duration: float, cancelled: bool) -> SyncSummary:
        return SyncSummary(
            *self.courses,
            *self.residencies,
            assets_released=self.assets_released,
            pages=self.pages,
            items=self.items,
            duration_seconds=duration,
            cancelled=cancelled,
        )


def _plus(a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[int, int, int]:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])
