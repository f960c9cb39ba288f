"""Draws a progress bar in table cells whose model gives a fraction under `FRACTION_ROLE`.

Painted directly (not through the widget style), so the bar reads the same under any style
sheet and on a selected row.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop_app.views.row_list import FRACTION_ROLE

MARGIN_X, MARGIN_Y, RADIUS = 6, 5, 4
TRACK, FILL, BORDER = QColor("#e3e8ed"), QColor("#2e8b57"), QColor("#b8c4cc")
TEXT_ON_TRACK, TEXT_ON_FILL = QColor("#1b2a33"), QColor("#ffffff")


class ProgressBarDelegate(QStyledItemDelegate):
    """A bar with the percentage in it; other cells are drawn as usual."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        fraction = index.data(FRACTION_ROLE)
        if not isinstance(fraction, float):
            super().paint(painter, option, index)
            return
        self._paint_background(painter, option, index)
        cell = QRectF(option.rect).adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_bar(painter, cell, max(0.0, min(fraction, 1.0)))
        painter.restore()

    def _paint_background(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """The cell as the view draws it (alternating colour, selection), without its text."""
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        widget = plain.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, widget)


def draw_bar(painter: QPainter, rect: QRectF, fraction: float) -> None:
    painter.setPen(QPen(BORDER, 1))
    painter.setBrush(TRACK)
    painter.drawRoundedRect(rect, RADIUS, RADIUS)
    filled = QRectF(rect.x(), rect.y(), rect.width() * fraction, rect.height())
    if fraction > 0:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FILL)
        painter.drawRoundedRect(filled, RADIUS, RADIUS)
    text = f"{fraction:.0%}"
    painter.setPen(TEXT_ON_TRACK)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.save()  # the part of the text over the filled bar in white
    painter.setClipRect(filled)
    painter.setPen(TEXT_ON_FILL)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
