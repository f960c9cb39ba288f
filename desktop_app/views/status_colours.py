"""The colours of a page's one-line message: done, failed, waiting, or plain news, alike on
every page and readable in every theme.

    set_tone(self.message, GOOD)

gives the label the `tone` property, which the application's style sheet colours from the
theme (4.5:1 or more on the window, on lists and on the status bar; 7:1 in high contrast),
and which follows the theme when the learner changes it. `set_tone(label, "")` takes the
tone off.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

GOOD, BAD, WARN, PLAIN = "good", "bad", "warn", "plain"
TONES = (GOOD, BAD, WARN, PLAIN)


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour `widget`'s text as `tone` (one of `TONES`, or "" for the usual text colour)."""
    if tone and tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}")
    if widget.property("tone") == (tone or None):
        return
    widget.setProperty("tone", tone or None)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def tone_of(widget: QWidget) -> str:
    """The tone `set_tone` gave `widget`, or ""."""
    tone = widget.property("tone")
    return tone if isinstance(tone, str) else ""
