"""Items of two lines: a title, and under it a quieter line in a colour taken from the palette
(a lesson's summary, a course's counts, a search excerpt whose matching words are bold).

Both lines are elided to the item's width; the model's tooltip carries the whole text. The
text is painted as plain text, never read as HTML, so course content shows as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

SECONDARY_ROLE = Qt.ItemDataRole.UserRole + 10
"""The second line as (text, bold) pieces; None or empty for an item of one line."""
Pieces = Sequence[tuple[str, bool]]
_SPACING = 0.4
"""Room above and below the two lines together, in lines."""
_SECONDARY_WEIGHT = 0.72
"""How much of the text colour the second line keeps over its background."""


def secondary_colour(palette: QPalette, selected: bool = False) -> QColor:
    """The quieter text colour for `palette`: the text colour blended towards its background,
    so it follows light, dark and high-contrast palettes and keeps a readable contrast."""
    role = QPalette.ColorRole
    text = palette.color(role.HighlightedText if selected else role.Text)
    back = palette.color(role.Highlight if selected else role.Base)
    keep = _SECONDARY_WEIGHT
    return QColor.fromRgbF(
        text.redF() * keep + back.redF() * (1 - keep),
        text.greenF() * keep + back.greenF() * (1 - keep),
        text.blueF() * keep + back.blueF() * (1 - keep),
    )


def plain_text(pieces: Pieces | None) -> str:
    return "".join(text for text, _bold in pieces or ())


class TwoLineDelegate(QStyledItemDelegate):
    """Draws items that give `SECONDARY_ROLE` on two lines; other items as usual."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(SECONDARY_ROLE):
            line = QFontMetrics(option.font).lineSpacing()
            size.setHeight(size.height() + line + round(line * _SPACING))
        return size

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        pieces = index.data(SECONDARY_ROLE)
        if not pieces:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        title, item.text = item.text, ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        area = area.adjusted(margin, 0, -margin, 0)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setClipRect(area)
        self._draw(painter, item, area, title, pieces, selected)
        painter.restore()

    @staticmethod
    def _draw(
        painter: QPainter,
        item: QStyleOptionViewItem,
        area: QRect,
        title: str,
        pieces: Pieces,
        selected: bool,
    ) -> None:
        metrics = QFontMetrics(item.font)
        line = metrics.lineSpacing()
        top = area.top() + max(0, (area.height() - 2 * line) // 2)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setFont(item.font)
        painter.setPen(item.palette.color(role))
        shown = metrics.elidedText(title, Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(QPoint(area.left(), top + metrics.ascent()), shown)
        baseline = QPoint(area.left(), top + line + metrics.ascent())
        draw_pieces(painter, item.font, baseline, area.right(), pieces, item.palette, selected)


def draw_pieces(
    painter: QPainter,
    font: QFont,
    baseline: QPoint,
    right: int,
    pieces: Pieces,
    palette: QPalette,
    selected: bool,
) -> None:
    """Pieces one after the other from `baseline`, the last one that does not fit elided;
    bold pieces in the full text colour, the rest in the secondary one."""
    x = baseline.x()
    quiet = secondary_colour(palette, selected)
    strong = palette.color(
        QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    )
    for text, bold in pieces:
        face = QFont(font)
        face.setBold(bold)
        metrics = QFontMetrics(face)
        width = metrics.horizontalAdvance(text)
        fits = x + width <= right
        shown = text if fits else metrics.elidedText(text, Qt.TextElideMode.ElideRight, right - x)
        painter.setFont(face)
        painter.setPen(strong if bold else quiet)
        painter.drawText(QPoint(x, baseline.y()), shown)
        if not fits:
            return
        x += width
