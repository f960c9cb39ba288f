"""Every page of the window, in light, dark and high contrast and at 200 % text size: the text
of each label, button and item reads on its background (4.5:1, WCAG 2.1 AA; 7:1 in high
contrast), and no text is cut short without an ellipsis and a tooltip, at 100 % or 200 %.

One tour of the started demo window (tests/tour.py); at each stop the appearance is changed
in place, checked, and put back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from theme_faults import appearance_kept, clipping_faults, contrast_faults
from tour import QT_LOG_IGNORE, Tour

from desktop_app.config import Settings
from desktop_app.gui.shell import Shell
from desktop_app.views.theme import apply_appearance
from desktop_app.views.theme.contrast import HIGH_RATIO, TEXT_RATIO
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)
THEMES = {"light": TEXT_RATIO, "dark": TEXT_RATIO, "high-contrast": HIGH_RATIO}
LARGEST = Settings(theme="light", text_size_percent=200)


@pytest.fixture
def shell(qapp: QApplication, reference_server: ReferenceServer) -> Iterator[Shell]:
    with appearance_kept(qapp):
        apply_appearance(qapp, Settings(theme="light"))
        shell = Shell(qapp, demo_url=reference_server.url)
        yield shell
        shell.close_window()
        apply_appearance(qapp, Settings(theme="light"))  # the follower told to stay


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


def test_every_page_reads_in_every_theme_and_nothing_is_cut_at_200_percent(
    qapp: QApplication, shell: Shell, reference_server: ReferenceServer
) -> None:
    assert shell.start(None, None)
    contrast: list[str] = []
    clipped: list[str] = []
    visited = []
    for name, page in Tour(shell, reference_server):
        visited.append(name)
        low, cut = faults_of(qapp, name, page)
        contrast += low
        clipped += cut
    assert {"catalog", "course", "lesson-video", "residency", "progress"} <= set(visited)
    assert contrast == [], "text that does not read:\n" + "\n".join(contrast)
    assert clipped == [], "text cut short:\n" + "\n".join(clipped)
