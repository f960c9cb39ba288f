"""Downloading course files for offline study, and the disk space they take (no Qt here).

- `plan_download` / `DownloadManager.plan`: what a course or module still lacks, before starting.
- `DownloadManager`: the persisted queue with pause, resume, cancel and progress snapshots.
- `StorageService`: space used per course, removing downloads, releasing files the sync drops.
- `lesson_files`: a lesson's verified local files for the player.

The names below load on first use (PEP 562): the window, which runs the queue, never loads
what only the Storage page, a lesson or a package needs."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

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
    "AssetSource": "desktop_app.downloads.fetch",
    "CourseProgress": "desktop_app.downloads.snapshot",
    "CourseUsage": "desktop_app.downloads.storage",
    "DownloadManager": "desktop_app.downloads.manager",
    "DownloadPlan": "desktop_app.downloads.plan",
    "DownloadState": "desktop_app.models.downloads",
    "FetchResult": "desktop_app.downloads.fetch",
    "JobStatus": "desktop_app.downloads.snapshot",
    "LessonFiles": "desktop_app.downloads.content",
    "Listener": "desktop_app.downloads.manager",
    "NotEnoughSpaceError": "desktop_app.downloads.plan",
    "PlannedAsset": "desktop_app.downloads.plan",
    "QueueSnapshot": "desktop_app.downloads.snapshot",
    "Removal": "desktop_app.downloads.storage",
    "RetryPolicy": "desktop_app.downloads.retry",
    "SpaceCheck": "desktop_app.downloads.plan",
    "StopReason": "desktop_app.downloads.snapshot",
    "Storage": "desktop_app.downloads.storage",
    "StorageReport": "desktop_app.downloads.storage",
    "StorageService": "desktop_app.downloads.storage",
    "UnknownCourseError": "desktop_app.downloads.plan",
    "fetch_asset": "desktop_app.downloads.fetch",
    "lesson_files": "desktop_app.downloads.content",
    "plan_download": "desktop_app.downloads.plan",
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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
