"""The named colour schemes, every colour pair defined, and the `QPalette` each one gives.

A scheme names each colour the window is painted with: the palette's roles (window, base,
text, buttons, selection, tooltips) and the few the style sheet adds (borders, headers, the
accent of push buttons, the message tones). Each text colour is chosen for the background it
is drawn on: 4.5:1 or more in the light and dark schemes, 7:1 or more in high contrast
(tests/views/test_theme_schemes.py checks every pair).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor, QPalette

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@dataclass(frozen=True)
class Scheme:
    """Colours as `#rrggbb`; `name` is the theme setting's value ("light", "dark", ...)."""

    name: str
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    tooltip_base: str
    tooltip_text: str
    link: str
    muted: str  # secondary text and placeholders, on window and base
    border: str
    header: str  # table headers and the status bar
    accent: str  # push buttons
    accent_text: str
    accent_hover: str
    disabled: str  # the background of a disabled push button
    disabled_text: str  # on `disabled`, on window and on base
    focus: str  # the ring of the widget with keyboard focus
    good: str
    bad: str
    warn: str

    def colours(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "name"}


LIGHT = Scheme(
    name="light",
    window="#f7f8fa",
    window_text="#1f2933",
    base="#ffffff",
    alternate_base="#f2f5f8",
    text="#1f2933",
    button="#e4e8ec",
    button_text="#1f2933",
    highlight="#1f6f8b",
    highlighted_text="#ffffff",
    tooltip_base="#ffffff",
    tooltip_text="#1f2933",
    link="#1a5d75",
    muted="#52606d",
    border="#b8c4cc",
    header="#eef1f4",
    accent="#1f6f8b",
    accent_text="#ffffff",
    accent_hover="#237b98",
    disabled="#dde3e8",
    disabled_text="#56636e",
    focus="#000000",
    good="#2e7d32",
    bad="#c62828",
    warn="#7a5d00",
)

DARK = Scheme(
    name="dark",
    window="#1e2328",
    window_text="#e6e9ec",
    base="#161a1e",
    alternate_base="#232a30",
    text="#e6e9ec",
    button="#2c343b",
    button_text="#e6e9ec",
    highlight="#5bbcdb",
    highlighted_text="#0b1a20",
    tooltip_base="#2c343b",
    tooltip_text="#e6e9ec",
    link="#7cc7e8",
    muted="#aab3bb",
    border="#4a545c",
    header="#262d33",
    accent="#2a7fa0",
    accent_text="#ffffff",
    accent_hover="#236d8a",
    disabled="#2c343b",
    disabled_text="#9aa4ac",
    focus="#ffffff",
    good="#81c784",
    bad="#ff8a80",
    warn="#ffd54f",
)

HIGH_CONTRAST = Scheme(
    name="high-contrast",
    window="#000000",
    window_text="#ffffff",
    base="#000000",
    alternate_base="#141414",
    text="#ffffff",
    button="#000000",
    button_text="#ffffff",
    highlight="#ffff00",
    highlighted_text="#000000",
    tooltip_base="#000000",
    tooltip_text="#ffffff",
    link="#00ffff",
    muted="#e0e0e0",
    border="#ffffff",
    header="#000000",
    accent="#ffff00",
    accent_text="#000000",
    accent_hover="#ffffff",
    disabled="#000000",
    disabled_text="#b0b0b0",
    focus="#e000e0",
    good="#8cff8c",
    bad="#ff9e9e",
    warn="#ffff00",
)

NAMED = {scheme.name: scheme for scheme in (LIGHT, DARK, HIGH_CONTRAST)}

# Each palette role and the scheme colour it takes, in every colour group.
_ROLES = {
    Role.Window: "window",
    Role.WindowText: "window_text",
    Role.Base: "base",
    Role.AlternateBase: "alternate_base",
    Role.Text: "text",
    Role.Button: "button",
    Role.ButtonText: "button_text",
    Role.Highlight: "highlight",
    Role.HighlightedText: "highlighted_text",
    Role.ToolTipBase: "tooltip_base",
    Role.ToolTipText: "tooltip_text",
    Role.Link: "link",
    Role.LinkVisited: "link",
    Role.PlaceholderText: "muted",
    Role.BrightText: "bad",
    Role.Accent: "accent",
}
_DISABLED = (Role.WindowText, Role.Text, Role.ButtonText)


def palette_of(scheme: Scheme) -> QPalette:
    """The palette that paints `scheme`: every role set, with shades for frames and bevels."""
    palette = QPalette(QColor(scheme.button), QColor(scheme.window))  # light, mid, dark...
    for role, name in _ROLES.items():
        palette.setColor(role, QColor(getattr(scheme, name)))
    for role in _DISABLED:
        palette.setColor(Group.Disabled, role, QColor(scheme.disabled_text))
    palette.setColor(Group.Disabled, Role.Highlight, QColor(scheme.border))
    palette.setColor(Group.Disabled, Role.HighlightedText, QColor(scheme.text))
    return palette
