"""A label whose text is a fixed multiple of the window's text size, whatever size the
learner chose, now or later."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget


class ScaledLabel(QLabel):
    """Text `scale` times the application's font for labels (bold if asked), refitted when
    the application's font changes."""

    def __init__(
        self, text: str = "", *, scale: float, bold: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(text, parent)
        self._scale, self._bold = scale, bold
        self._fit_font()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._fit_font()

    def _fit_font(self) -> None:
        font = QApplication.font(self)
        font.setPointSizeF(font.pointSizeF() * self._scale)
        font.setBold(self._bold or font.bold())
        self.setFont(font)
        self.font_fitted()

    def font_fitted(self) -> None:
        """Called after each refit, for a subclass that sizes itself by its font."""
