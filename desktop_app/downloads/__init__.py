"""Downloading course files for offline study, and the disk space they take (no Qt here).

- `plan_download` / `DownloadManager.plan`: what a course or module still lacks, before starting.
- `DownloadManager`: the persisted queue with pause, resume, cancel and progress snapshots.
- `StorageService`: space used per course, removing downloads, releasing files the sync drops.
- `lesson_files`: a lesson's verified local files for the player.

The names below load on first use (PEP 562): the window, which runs the queue, never loads
what only the Storage page, a lesson or a package needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.lazy_names import names_from

if TYPE_CHECKING:
    from desktop_app.downloads.content import LessonFiles, lesson_files
    from desktop_app.downloads.fetch import AssetSource, FetchResult, fetch_asset
    from desktop_app.downloads.manager import DownloadManager, Listener
    from desktop_app.downloads.plan import (
        DownloadPlan,
        NotEnoughSpaceError,
        PlannedAsset,
        SpaceCheck,
        UnknownCourseError,
        plan_download,
    )
    from desktop_app.downloads.retry import RetryPolicy
    from desktop_app.downloads.snapshot import CourseProgress, JobStatus, QueueSnapshot, StopReason
    from desktop_app.downloads.storage import (
        CourseUsage,
        Removal,
        Storage,
        StorageReport,
        StorageService,
    )
    from desktop_app.models.downloads import DownloadState

_HOMES = {
    "AssetSource": ".fetch",
    "CourseProgress": ".snapshot",
    "CourseUsage": ".storage",
    "DownloadManager": ".manager",
    "DownloadPlan": ".plan",
    "DownloadState": "desktop_app.models.downloads",
    "FetchResult": ".fetch",
    "JobStatus": ".snapshot",
    "LessonFiles": ".content",
    "Listener": ".manager",
    "NotEnoughSpaceError": ".plan",
    "PlannedAsset": ".plan",
    "QueueSnapshot": ".snapshot",
    "Removal": ".storage",
    "RetryPolicy": ".retry",
    "SpaceCheck": ".plan",
    "StopReason": ".snapshot",
    "Storage": ".storage",
    "StorageReport": ".storage",
    "StorageService": ".storage",
    "UnknownCourseError": ".plan",
    "fetch_asset": ".fetch",
    "lesson_files": ".content",
    "plan_download": ".plan",
}
__all__ = [
    "AssetSource",
    "CourseProgress",
    "CourseUsage",
    "DownloadManager",
    "DownloadPlan",
    "DownloadState",
    "FetchResult",
    "JobStatus",
    "LessonFiles",
    "Listener",
    "NotEnoughSpaceError",
    "PlannedAsset",
    "QueueSnapshot",
    "Removal",
    "RetryPolicy",
    "SpaceCheck",
    "StopReason",
    "Storage",
    "StorageReport",
    "StorageService",
    "UnknownCourseError",
    "fetch_asset",
    "lesson_files",
    "plan_download",
]


__getattr__ = names_from(__name__, _HOMES)
