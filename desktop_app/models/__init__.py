"""SQLAlchemy models of the local cache."""

from desktop_app.models.base import Base, UTCDateTime
from desktop_app.models.catalog import (
    ASSET_ROLES,
    LESSON_KINDS,
    Asset,
    Course,
    Lesson,
    LessonAsset,
    Module,
)
from desktop_app.models.downloads import DownloadJob, DownloadState
from desktop_app.models.progress import CheckIn, ProgressEvent
from desktop_app.models.schedule import Enrolment, Residency, ResidencySession
from desktop_app.models.sync_state import SyncState

__all__ = [
    "ASSET_ROLES",
    "LESSON_KINDS",
    "Asset",
    "Base",
    "CheckIn",
    "Course",
    "DownloadJob",
    "DownloadState",
    "Enrolment",
    "Lesson",
    "LessonAsset",
    "Module",
    "ProgressEvent",
    "Residency",
    "ResidencySession",
    "SyncState",
    "UTCDateTime",
]
