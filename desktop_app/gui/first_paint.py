"""Running something once a widget has painted, for the work a start should not wait for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _PaintWatch(QObject):
    def __init__(
        self, widget: QWidget, callback: Callable[[], None], ready: Callable[[], bool]
    ) -> None:
        super().__init__(widget)
        self._callback, self._ready = callback, ready
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._ready():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)  # a paint event comes before the painting
            self.deleteLater()
        return False


def after_first_paint(
    widget: QWidget, callback: Callable[[], None], ready: Callable[[], bool] = lambda: True
) -> None:
    """Call `callback` on the UI thread once `widget` has painted while `ready()` holds.

    Qt paints a window and its children in one pass, so when the callback runs the whole
    window is on the screen."""
    _PaintWatch(widget, callback, ready)
