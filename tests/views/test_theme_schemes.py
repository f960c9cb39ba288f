"""The colour schemes and the appearance setting, without the whole window: every pair of
colours reads, the "system" theme follows a dark platform palette, and `apply_appearance`
changes the theme and the text size of widgets already shown."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from theme_faults import appearance_kept

from desktop_app.config import Settings
from desktop_app.gui.resources import resource_path
from desktop_app.views.status_colours import BAD, GOOD, PLAIN, WARN, set_tone
from desktop_app.views.theme import apply_appearance
from desktop_app.views.theme.appearance import style_sheet, text_point_size
from desktop_app.views.theme.contrast import HIGH_RATIO, TEXT_RATIO, contrast_ratio
from desktop_app.views.theme.schemes import DARK, HIGH_CONTRAST, LIGHT, NAMED, Scheme
from desktop_app.views.theme.system import system_scheme

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
Role = QPalette.ColorRole
TEXT_ON = {
    "window_text": ("window", "header"),
    "text": ("base", "alternate_base"),
    "button_text": ("button",),
    "highlighted_text": ("highlight",),
    "tooltip_text": ("tooltip_base",),
    "accent_text": ("accent", "accent_hover"),
    "disabled_text": ("disabled", "window", "base"),
    **{
        tone: ("window", "base", "alternate_base", "header")
        for tone in ("link", "muted", "good", "bad", "warn")
    },
}


def low_pairs(scheme: Scheme, ratio: float) -> list[tuple[str, str, float]]:
    colours = scheme.colours()
    pairs = [(text, back) for text, backs in TEXT_ON.items() for back in backs]
    found = [(t, b, round(contrast_ratio(colours[t], colours[b]), 2)) for t, b in pairs]
    return [pair for pair in found if pair[2] < ratio]


def test_the_wcag_formula_gives_its_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)
def test_every_text_colour_reads_on_its_backgrounds(scheme: Scheme) -> None:
    assert low_pairs(scheme, TEXT_RATIO) == []


def test_high_contrast_reads_at_seven_to_one() -> None:
    assert low_pairs(HIGH_CONTRAST, HIGH_RATIO) == []


@pytest.mark.parametrize("scheme", NAMED.values(), ids=lambda s: s.name)
def test_the_focus_ring_stands_out_from_the_button_and_the_window(scheme: Scheme) -> None:
    """WCAG 2.2's focus appearance: 3:1 with what it replaces and what surrounds it."""
    for back in (scheme.accent, scheme.accent_hover, scheme.window, scheme.base):
        assert contrast_ratio(scheme.focus, back) >= 3, back


def dark_platform_palette() -> QPalette:
    """A dark palette as some platforms give it: the alternate rows left light."""
    palette = QPalette(QColor("#3c3c3c"), QColor("#2b2b2b"))
    for role, colour in {
        Role.Base: "#202020",
        Role.Text: "#f0f0f0",
        Role.WindowText: "#f0f0f0",
        Role.ButtonText: "#f0f0f0",
        Role.AlternateBase: "#f2f5f8",
        Role.Highlight: "#2a82da",
        Role.HighlightedText: "#000000",
    }.items():
        palette.setColor(role, QColor(colour))
    return palette


def test_system_follows_a_dark_platform_palette_and_mends_what_does_not_read(
    qapp: QApplication,
) -> None:
    scheme = system_scheme(dark_platform_palette(), Qt.ColorScheme.Dark)
    assert (scheme.window, scheme.base, scheme.text) == ("#2b2b2b", "#202020", "#f0f0f0")
    assert QColor(scheme.alternate_base).lightness() < 128
    assert low_pairs(scheme, TEXT_RATIO) == []


def test_system_is_dark_when_the_platform_says_so_though_its_palette_is_light(
    qapp: QApplication,
) -> None:
    light = QPalette(QColor("#efefef"), QColor("#efefef"))
    assert system_scheme(light, Qt.ColorScheme.Dark) == DARK
    assert system_scheme(light, Qt.ColorScheme.Light).name == "system"
    assert system_scheme(light, Qt.ColorScheme.Light, more_contrast=True) == HIGH_CONTRAST


def test_the_style_sheet_fixes_no_font_size_and_fills_every_colour() -> None:
    template = resource_path("style.qss").read_text(encoding="utf-8")
    assert not re.search(r"font-size|\d\s*pt\b", template)
    for scheme in NAMED.values():
        assert "$" not in style_sheet(scheme)


@pytest.fixture
def appearance(qapp: QApplication) -> Iterator[None]:
    with appearance_kept(qapp):
        yield
        apply_appearance(qapp, Settings(theme="light"))  # the follower told to stay


def shown_page(qtbot: QtBot) -> tuple[QWidget, QLabel, QLabel]:
    page = QWidget()
    plain, heading = QLabel("Text"), QLabel("Heading")
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    heading.setFont(font)
    layout = QVBoxLayout(page)
    layout.addWidget(heading)
    layout.addWidget(plain)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page, plain, heading


@pytest.mark.usefixtures("appearance")
def test_text_size_scales_shown_text_and_keeps_headings_relative(
    qapp: QApplication, qtbot: QtBot
) -> None:
    apply_appearance(qapp, Settings(theme="light", text_size_percent=100))
    _page, plain, heading = shown_page(qtbot)
    ratio = heading.font().pointSizeF() / plain.font().pointSizeF()

    apply_appearance(qapp, Settings(theme="light", text_size_percent=200))

    qtbot.waitUntil(lambda: plain.font().pointSizeF() == text_point_size(200))
    assert text_point_size(200) == 2 * text_point_size(100) >= 21
    assert heading.font().pointSizeF() / plain.font().pointSizeF() == pytest.approx(ratio)


@pytest.mark.usefixtures("appearance")
def test_a_theme_change_repaints_shown_text_and_its_tones(qapp: QApplication, qtbot: QtBot) -> None:
    apply_appearance(qapp, Settings(theme="light"))
    page, plain, heading = shown_page(qtbot)
    set_tone(heading, BAD)

    apply_appearance(qapp, Settings(theme="dark"))

    qtbot.waitUntil(lambda: plain.palette().color(Role.WindowText).name() == DARK.window_text)
    assert page.palette().color(Role.Window).name() == DARK.window
    assert heading.palette().color(Role.WindowText).name() == DARK.bad


@pytest.mark.usefixtures("appearance")
@pytest.mark.parametrize("tone", [GOOD, BAD, WARN, PLAIN])
def test_each_tone_reads_in_every_theme(qapp: QApplication, qtbot: QtBot, tone: str) -> None:
    page, label, _heading = shown_page(qtbot)
    set_tone(label, tone)
    for theme in ("light", "dark", "high-contrast", "system"):
        apply_appearance(qapp, Settings(theme=theme))
        qapp.processEvents()
        text = label.palette().color(Role.WindowText)
        assert text != page.palette().color(Role.WindowText)
        ratio = contrast_ratio(text, page.palette().color(Role.Window))
        assert ratio >= (HIGH_RATIO if theme == "high-contrast" else TEXT_RATIO), (theme, ratio)


@pytest.mark.usefixtures("appearance")
def test_system_follows_the_platform_when_it_changes_its_colours(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.views.theme import appearance

    applied: list[str] = []

    def platform_went_dark(*_args: object) -> Scheme:
        applied.append("")
        return DARK

    apply_appearance(qapp, Settings(theme="light"))
    monkeypatch.setattr(appearance, "system_scheme", platform_went_dark)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert applied == [], "a theme chosen by name stays"

    apply_appearance(qapp, Settings(theme="system"))
    applied.clear()
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert applied == [""]
    assert qapp.palette().color(Role.Window).name() == DARK.window
