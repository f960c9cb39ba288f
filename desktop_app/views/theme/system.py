"""The "system" theme: the platform's own palette, with what the style sheet adds derived
from it, and any pair of its colours that does not read replaced by the named scheme's.

Dark is told by the window colour's lightness, or by Qt's colour scheme when the platform
says dark but its palette stayed light; a platform that asks for more contrast gets the
high-contrast scheme.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from desktop_app.views.theme.contrast import TEXT_RATIO, blend, contrast_ratio, is_dark, readable
from desktop_app.views.theme.schemes import DARK, HIGH_CONTRAST, LIGHT, Scheme

Role = QPalette.ColorRole

# Background and text roles read from the platform, as pairs that must read together.
_PAIRS = (
    (("window", Role.Window), ("window_text", Role.WindowText)),
    (("base", Role.Base), ("text", Role.Text)),
    (("button", Role.Button), ("button_text", Role.ButtonText)),
    (("highlight", Role.Highlight), ("highlighted_text", Role.HighlightedText)),
    (("tooltip_base", Role.ToolTipBase), ("tooltip_text", Role.ToolTipText)),
)
_EITHER_SIDE = ("highlight", "tooltip_base")


def system_scheme(
    palette: QPalette, colour_scheme: Qt.ColorScheme, more_contrast: bool = False
) -> Scheme:
    """The scheme that follows `palette` (the platform's), told how the platform sees it."""
    if more_contrast:
        return HIGH_CONTRAST
    dark = is_dark(palette.color(Role.Window))
    if not dark and colour_scheme == Qt.ColorScheme.Dark:
        return DARK  # the platform is dark but its palette did not follow
    fallback = DARK if dark else LIGHT
    colours = _platform_pairs(palette, fallback, dark)
    return _derived(replace(fallback, name="system", **colours))


def _platform_pairs(palette: QPalette, fallback: Scheme, dark: bool) -> dict[str, str]:
    """The platform's colour for each pair that reads, the fallback's for each that does not."""
    colours: dict[str, str] = {}
    for (back_name, back_role), (text_name, text_role) in _PAIRS:
        back, text = palette.color(back_role).name(), palette.color(text_role).name()
        any_side = back_name in _EITHER_SIDE  # a selection may be light in a dark window
        if _reads(back, text) and (any_side or is_dark(back) == dark):
            colours[back_name], colours[text_name] = back, text
    base, text = colours.get("base", fallback.base), colours.get("text", fallback.text)
    alternate = palette.color(Role.AlternateBase).name()  # often left light by dark palettes
    if not (_reads(alternate, text) and is_dark(alternate) == dark):
        alternate = blend(base, text, 0.05)
    colours["alternate_base"] = alternate
    return colours


def _reads(back: str, text: str) -> bool:
    return contrast_ratio(back, text) >= TEXT_RATIO


def _derived(scheme: Scheme) -> Scheme:
    """Borders, headers, the accent and the tones, made from the platform's own colours."""
    window, base, text = scheme.window, scheme.base, scheme.window_text
    grounds = (window, base, scheme.alternate_base)
    return replace(
        scheme,
        link=readable(scheme.link, *grounds),
        muted=readable(blend(text, window, 0.3), *grounds),
        border=blend(window, text, 0.3),
        header=blend(window, text, 0.05),
        accent=scheme.highlight,
        accent_text=scheme.highlighted_text,
        accent_hover=_hover(scheme.highlight, scheme.highlighted_text, text),
        disabled=blend(window, text, 0.08),
        disabled_text=readable(blend(text, window, 0.4), blend(window, text, 0.08), *grounds),
        focus=text,
        good=readable(scheme.good, *grounds, blend(window, text, 0.05)),
        bad=readable(scheme.bad, *grounds, blend(window, text, 0.05)),
        warn=readable(scheme.warn, *grounds, blend(window, text, 0.05)),
    )


def _hover(accent: str, accent_text: str, text: str) -> str:
    """The accent a little towards the text colour, if its own text still reads on it."""
    hover = blend(accent, text, 0.15)
    return hover if _reads(hover, accent_text) else accent
