"""A label whose text is a fixed multiple of the window's text size.

The size is set once, from the label's font when it is made; when the learner changes the
text size later, the theme scales every font a widget set for itself by the same factor
(`views.theme.appearance`), so the label keeps its proportion."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class ScaledLabel(QLabel):
    """Text `scale` times the window's text, bold if asked."""

    def __init__(
        self, text: str = "", *, scale: float, bold: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(text, parent)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        font.setBold(bold or font.bold())
        self.setFont(font)
