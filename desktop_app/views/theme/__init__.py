"""The window's look: colour schemes (light, dark, high contrast, or the platform's) and the
text size, applied to the whole application by `apply_appearance`."""

from __future__ import annotations

from desktop_app.views.theme.appearance import apply_appearance
from desktop_app.views.theme.schemes import Scheme

__all__ = ["Scheme", "apply_appearance"]
