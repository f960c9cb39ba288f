"""Downloading course files for offline study, and the disk space they take (no Qt here).

- `plan_download` / `DownloadManager.plan`: what a course or module still lacks, before starting.
- `DownloadManager`: the persisted queue with pause, resume, cancel and progress snapshots.
- `StorageService`: space used per course, removing downloads, releasing files the sync drops.
- `lesson_files`: a lesson's verified local files for the player.
"""

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
