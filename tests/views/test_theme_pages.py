"""Every page of the window, in light, dark and high contrast and at 200 % text size: the text
of each label, button and item reads on its background (4.5:1, WCAG 2.1 AA; 7:1 in high
contrast), and no text is cut short without an ellipsis and a tooltip, at 100 % or 200 %.

At each stop of the walk of the window shared with the keyboard check (window_walk.py) the
appearance is changed in place, checked, and put back.
"""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from theme_faults import clipping_faults, contrast_faults
from tour import QT_LOG_IGNORE
from window_walk import CHECKS, SharedWalk, shares_the_walk

from desktop_app.config import Settings
from desktop_app.views.theme import apply_appearance
from desktop_app.views.theme.contrast import HIGH_RATIO, TEXT_RATIO
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)
THEMES = {"light": TEXT_RATIO, "dark": TEXT_RATIO, "high-contrast": HIGH_RATIO}
LARGEST = Settings(theme="light", text_size_percent=200)


def settled(app: QApplication, settings: Settings) -> None:
    apply_appearance(app, settings)
    QTest.qWait(30)  # the font and style changes posted to every widget, and the layouts
    app.processEvents()


def faults_of(app: QApplication, name: str, page: QWidget) -> tuple[list[str], list[str]]:
    """The contrast faults in each theme and the clipping faults at 200 % of one page."""
    contrast, clipped = [], []
    for theme, least in THEMES.items():
        settled(app, Settings(theme=theme))
        contrast += [f"{name} [{theme}] {fault}" for fault in contrast_faults(page, least)]
        if theme == "light":
            clipped += [f"{name} [100 %] {fault}" for fault in clipping_faults(page)]
    settled(app, LARGEST)
    clipped += [f"{name} [200 %] {fault}" for fault in clipping_faults(page)]
    settled(app, Settings(theme="light"))
    return contrast, clipped


def theme_problems(name: str, page: QWidget) -> list[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    contrast, clipped = faults_of(app, name, page)
    return [f"does not read: {fault}" for fault in contrast] + [
        f"cut short: {fault}" for fault in clipped
    ]


CHECKS["theme"] = theme_problems


@shares_the_walk
def test_every_page_reads_in_every_theme_and_nothing_is_cut_at_200_percent(
    qapp: QApplication, window_walk: SharedWalk, reference_server: ReferenceServer
) -> None:
    problems = window_walk.problems("theme", qapp, reference_server)
    assert {"catalog", "course", "lesson-video", "residency", "progress"} <= set(
        window_walk.visited
    )
    assert problems == [], "text that does not read or is cut short:\n" + "\n".join(problems)
