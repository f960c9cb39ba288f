"""A page whose content scrolls when large text on a small screen does not fit it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def fill_scrolled(page: QWidget, content: QWidget) -> QScrollArea:
    """Make `content` the whole of `page`, edge to edge, in a frameless scroll area.

    The area takes no focus of its own: the parts inside take it, and show it."""
    scroll = QScrollArea(widgetResizable=True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(content)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return scroll
