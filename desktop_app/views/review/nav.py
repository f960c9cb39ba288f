"""The Review navigation item's text, with the count of questions due."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.views.i18n import format_number


def review_nav_title(due: int) -> str:
    """ "Review", or "Review (3)" with questions due."""
    if due <= 0:
        return QCoreApplication.translate("MainWindow", "Review")
    count = format_number(due)
    return QCoreApplication.translate("MainWindow", "Review ({count})").format(count=count)
