"""Draws a progress bar in table cells whose model gives a fraction under `FRACTION_ROLE`.

Painted directly (not through the widget style), so the bar reads the same under any style
sheet and on a selected row, in colours from the view's palette: the track is the base colour
tinted with the text colour, the bar the highlight, the percentage in the text colour over the
track and in the highlighted-text colour over the bar.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop_app.views.i18n import format_number
from desktop_app.views.row_list import FRACTION_ROLE

MARGIN_X, MARGIN_Y, RADIUS = 6, 5, 4
TRACK_TINT, BORDER_TINT = 0.10, 0.35
"""How much of the text colour the track and its border mix into the base colour."""


def _mix(base: QColor, tint: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        base.redF() + (tint.redF() - base.redF()) * amount,
        base.greenF() + (tint.greenF() - base.greenF()) * amount,
        base.blueF() + (tint.blueF() - base.blueF()) * amount,
    )


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
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        draw_bar(painter, cell, max(0.0, min(fraction, 1.0)), option.palette, selected)
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


def draw_bar(
    painter: QPainter, rect: QRectF, fraction: float, palette: QPalette, selected: bool = False
) -> None:
    """On a selected row the bar is outlined in the highlighted-text colour, so its fill
    stands apart from the row's highlight."""
    role = QPalette.ColorRole
    base, text = palette.color(role.Base), palette.color(role.Text)
    border = palette.color(role.HighlightedText) if selected else _mix(base, text, BORDER_TINT)
    painter.setPen(QPen(border, 1.5 if selected else 1))
    painter.setBrush(_mix(base, text, TRACK_TINT))
    painter.drawRoundedRect(rect, RADIUS, RADIUS)
    filled = QRectF(rect.x(), rect.y(), rect.width() * fraction, rect.height())
    if fraction > 0:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(role.Highlight))
        painter.drawRoundedRect(filled, RADIUS, RADIUS)
    label = QCoreApplication.translate("ProgressBarDelegate", "{percent}%").format(
        percent=format_number(fraction * 100)
    )
    painter.setPen(text)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
    painter.save()  # the part of the text over the filled bar in the highlighted-text colour
    painter.setClipRect(filled)
    painter.setPen(palette.color(role.HighlightedText))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()
