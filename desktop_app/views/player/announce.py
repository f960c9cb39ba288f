"""Telling a screen reader what just happened (a quiz's verdict, a course completed), without
moving the learner's focus."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent


def announce(source: QObject, message: str) -> None:
    """Ask assistive technology to read `message` now, on behalf of `source` (a widget)."""
    event = QAccessibleAnnouncementEvent(source, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
