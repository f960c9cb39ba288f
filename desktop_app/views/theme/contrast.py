"""Contrast between two colours as WCAG 2.1 defines it, and a colour moved until it reads.

A ratio of 4.5:1 is the least for text (WCAG 2.1 AA), 7:1 the least for the high-contrast
theme (AAA). Colours are `#rrggbb` strings or `QColor`s.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

TEXT_RATIO = 4.5
HIGH_RATIO = 7.0


def luminance(colour: QColor | str) -> float:
    """The relative luminance of an sRGB colour, 0 (black) to 1 (white)."""
    rgb = QColor(colour)
    channels = (rgb.redF(), rgb.greenF(), rgb.blueF())
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: QColor | str, second: QColor | str) -> float:
    """From 1 (the same) to 21 (black on white), whichever of the two is lighter."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def is_dark(colour: QColor | str) -> bool:
    return QColor(colour).lightness() < 128


def blend(first: QColor | str, second: QColor | str, share: float) -> str:
    """`first` with `share` (0 to 1) of `second` mixed in, as `#rrggbb`."""
    a, b = QColor(first), QColor(second)
    pairs = ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))
    red, green, blue = (round(x + (y - x) * share) for x, y in pairs)
    return QColor(red, green, blue).name()


def readable(colour: QColor | str, *backgrounds: QColor | str, ratio: float = TEXT_RATIO) -> str:
    """`colour`, made darker (on light backgrounds) or lighter (on dark ones) in small steps
    until it has `ratio` with every one of `backgrounds`; its hue is kept as far as it can be."""
    towards = "#000000" if not is_dark(backgrounds[0]) else "#ffffff"
    for step in range(21):
        candidate = blend(colour, towards, step / 20)
        if all(contrast_ratio(candidate, b) >= ratio for b in backgrounds):
            return candidate
    return towards
