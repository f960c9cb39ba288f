"""Pictures of a widget, light and dark, that tests keep for a person to look at.

A test names its folder by an environment variable (`shots_folder`); unset, nothing is
written. The dark look is either Fusion with `dark_palette` (which `make screenshots` falls
back on too) or the application's own dark theme (`in_app_themes`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QColor, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from desktop_app.config import Settings

Pictures = dict[str, QPixmap]
"""Pictures by the file name they are kept under."""


def shots_folder(variable: str) -> Path | None:
    """The folder the environment variable `variable` names, or None: keep no pictures."""
    value = os.environ.get(variable, "")
    return Path(value) if value not in ("", ".") else None


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style, every role a page paints with."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#26272b",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2e31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#8ab4f8",
        QPalette.ColorRole.HighlightedText: "#202124",
        QPalette.ColorRole.ToolTipBase: "#2d2e31",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def light_and_dark(app: QApplication, widget: QWidget, name: str) -> Pictures:
    """`widget` as it is (`name`-light.png) and in Fusion with the dark palette
    (`name`-dark.png); the application's style and palette are put back after."""
    pictures = {f"{name}-light.png": widget.grab()}
    style, palette = app.style().name(), app.palette()
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(dark_palette())
    app.processEvents()  # the new palette reaches every widget
    try:
        pictures[f"{name}-dark.png"] = widget.grab()
    finally:
        app.setStyle(QStyleFactory.create(style))
        app.setPalette(palette)
    return pictures


def in_app_themes(app: QApplication, widget: QWidget, name: str) -> Pictures:
    """`widget` in the application's light and dark themes (`name`-light.png and
    `name`-dark.png); the default appearance is applied after."""
    from desktop_app.views.theme import apply_appearance  # not needed for `dark_palette`

    pictures: Pictures = {}
    for theme in ("light", "dark"):
        apply_appearance(app, replace(Settings(), theme=theme))
        app.processEvents()  # the new style sheet lays the widget out again
        pictures[f"{name}-{theme}.png"] = widget.grab()
    apply_appearance(app, Settings())
    return pictures


def keep(pictures: Pictures, folder: Path | None) -> None:
    """Every picture has pixels; each is saved in `folder` when there is one."""
    assert all(not picture.isNull() for picture in pictures.values())
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name, picture in pictures.items():
        assert picture.save(str(folder / name))
