"""The catalog's words in the learner's language: lesson kinds, lengths and offline states."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.catalog.rows import DOWNLOADED, NOT_DOWNLOADED, PARTLY_DOWNLOADED
from desktop_app.views.i18n import format_number

# The download queue's states (`DownloadState`) by value: the first course list draws with
# this module, before the download modules (and requests and SQLAlchemy under them) load.
DONE, QUEUED, RUNNING, PAUSED, FAILED = "done", "queued", "running", "paused", "failed"
TRANSFER_STATES = (DONE, QUEUED, RUNNING, PAUSED, FAILED)


def kind_label(kind: str) -> str:
    labels = {
        "video": QCoreApplication.translate("CatalogLabels", "Video"),
        "audio": QCoreApplication.translate("CatalogLabels", "Audio"),
        "reading": QCoreApplication.translate("CatalogLabels", "Reading"),
        "pdf": QCoreApplication.translate("CatalogLabels", "PDF"),
        "quiz": QCoreApplication.translate("CatalogLabels", "Quiz"),
    }
    return labels.get(kind, kind)


def state_label(state: str) -> str:
    """What the Offline column says for a library state or a file's download state."""
    labels = {
        DOWNLOADED: QCoreApplication.translate("CatalogLabels", "Downloaded"),
        DONE: QCoreApplication.translate("CatalogLabels", "Downloaded"),
        NOT_DOWNLOADED: QCoreApplication.translate("CatalogLabels", "Not downloaded"),
        PARTLY_DOWNLOADED: QCoreApplication.translate("CatalogLabels", "Partly downloaded"),
        QUEUED: QCoreApplication.translate("CatalogLabels", "Waiting"),
        RUNNING: QCoreApplication.translate("CatalogLabels", "Downloading…"),
        PAUSED: QCoreApplication.translate("CatalogLabels", "Paused"),
        FAILED: QCoreApplication.translate("CatalogLabels", "Download failed"),
    }
    return labels.get(state, state)


def human_duration(seconds: int) -> str:
    if seconds <= 0:
        return ""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return QCoreApplication.translate("CatalogLabels", "{seconds} s").format(
            seconds=format_number(rest)
        )
    if not rest:
        return QCoreApplication.translate("CatalogLabels", "{minutes} min").format(
            minutes=format_number(minutes)
        )
    return QCoreApplication.translate("CatalogLabels", "{minutes} min {seconds} s").format(
        minutes=format_number(minutes), seconds=f"{rest:02d}"
    )


def widest_texts() -> tuple[tuple[str, ...], ...]:
    """What the Length, Offline and Done columns can hold, in the current language (the
    Offline column wraps its words)."""
    states = (DOWNLOADED, NOT_DOWNLOADED, PARTLY_DOWNLOADED, *TRANSFER_STATES)
    words = {word for state in states for word in state_label(state).split()}
    return ((human_duration(99 * 60 + 59),), tuple(words), ("✓",))
