"""What the theme and text-size tests look for on a shown page: text whose colour does not
read on its background (WCAG 2.1), and text cut short without an ellipsis and a tooltip.

Colours are the widgets' effective ones once the style has polished them: a label's or a
button's foreground role against the background role of the nearest widget that paints its
own background (a window, a widget that fills its background, one the style sheet gives a
background); an item's Foreground/Background roles, else the view's Text on Base or
AlternateBase, and HighlightedText on Highlight when it is selected. Disabled widgets are left
out, as WCAG leaves them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QRadioButton,
    QTreeView,
    QWidget,
)

from desktop_app.views.theme.contrast import contrast_ratio

Role = QPalette.ColorRole
ELLIPSIS = "…"
MOST_ROWS, MOST_COLUMNS = 60, 20  # of one view, looked at
SECTION_PADDING = 12  # resources/style.qss: QHeaderView::section's padding, both sides


@contextmanager
def appearance_kept(app: QApplication) -> Iterator[None]:
    """The application's font, palette and style sheet as they were, once the test is done
    with them: they outlive the test's widgets, and the other tests expect Qt's own."""
    font, sheet, palette = QFont(app.font()), app.styleSheet(), QPalette(app.palette())
    try:
        yield
    finally:
        app.setStyleSheet(sheet)
        app.setPalette(palette)
        app.setFont(font)


def shown(root: QWidget) -> Iterator[QWidget]:
    yield root
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and widget.isEnabled():
            yield widget


def described(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '-'}"


def background_of(widget: QWidget) -> QColor:
    """The colour drawn behind `widget`: the first of it and its parents that paints one."""
    current: QWidget | None = widget
    while current is not None:
        parent = current.parentWidget()
        viewport = isinstance(parent, QAbstractScrollArea) and parent.viewport() is current
        paints = current.autoFillBackground() or current.testAttribute(
            Qt.WidgetAttribute.WA_StyledBackground
        )
        if current.isWindow() or paints or viewport:
            return current.palette().color(current.backgroundRole())
        current = parent
    return widget.palette().color(Role.Window)


def text_colours(widget: QWidget) -> tuple[str, QColor, QColor] | None:
    """`(text, foreground, background)` of a label or a button with text, else None."""
    if isinstance(widget, QLabel) and widget.text().strip() and widget.pixmap().isNull():
        palette = widget.palette()
        return widget.text(), palette.color(widget.foregroundRole()), background_of(widget)
    if isinstance(widget, QAbstractButton) and widget.text().strip():
        palette = widget.palette()
        on_own = isinstance(widget, QPushButton) and not widget.isFlat()
        back = (
            palette.color(Role.Button) if on_own else background_of(widget.parentWidget() or widget)
        )
        if isinstance(widget, (QCheckBox, QRadioButton)):
            return widget.text(), palette.color(Role.WindowText), back
        return widget.text(), palette.color(Role.ButtonText), back
    return None


def contrast_faults(root: QWidget, least: float) -> list[str]:
    faults = []
    for widget in shown(root):
        found = text_colours(widget)
        if found is not None:
            text, fore, back = found
            faults += _low(f"{described(widget)} {text[:50]!r}", fore, back, least)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for index, _rect in visible_items(widget):
                text, fore, back = item_colours(widget, index)
                where = f"{described(widget)} item {text[:50]!r}"
                faults += _low(where, fore, back, least) if text.strip() else []
    return faults


def _low(where: str, fore: QColor, back: QColor, least: float) -> list[str]:
    ratio = contrast_ratio(fore, back)
    if ratio >= least:
        return []
    return [f"{where}: {fore.name()} on {back.name()} is {ratio:.2f}:1"]


def visible_items(view: QAbstractItemView) -> Iterator[tuple[QModelIndex, QRect]]:
    area = view.viewport().rect()
    for index in _indexes(view, QModelIndex()):
        rect = view.visualRect(index)
        if rect.isValid() and area.intersects(rect):
            yield index, rect


def _indexes(view: QAbstractItemView, parent: QModelIndex) -> Iterator[QModelIndex]:
    model = view.model()
    for row in range(min(model.rowCount(parent), MOST_ROWS)):
        for column in range(MOST_COLUMNS):  # columnCount is private in some of Qt's models
            index = model.index(row, column, parent)
            if not index.isValid():
                break
            if view.itemDelegateForIndex(index) is view.itemDelegate():
                yield index  # not one a delegate paints in its own colours
        first = model.index(row, 0, parent)
        if isinstance(view, QTreeView) and view.isExpanded(first):
            yield from _indexes(view, first)


def item_colours(view: QAbstractItemView, index: QModelIndex) -> tuple[str, QColor, QColor]:
    palette = view.palette()
    text = index.data(Qt.ItemDataRole.DisplayRole)
    text = text if isinstance(text, str) else ""
    selection = view.selectionModel()
    if selection is not None and selection.isSelected(index):
        return text, palette.color(Role.HighlightedText), palette.color(Role.Highlight)
    alternate = view.alternatingRowColors() and index.row() % 2 == 1
    back = palette.color(Role.AlternateBase if alternate else Role.Base)
    fore = palette.color(Role.Text)
    return (
        text,
        _brush(index, Qt.ItemDataRole.ForegroundRole, fore),
        _brush(index, Qt.ItemDataRole.BackgroundRole, back),
    )


def _brush(index: QModelIndex, role: Qt.ItemDataRole, default: QColor) -> QColor:
    value = index.data(role)
    if isinstance(value, QBrush) and value.style() != Qt.BrushStyle.NoBrush:
        return value.color()
    return value if isinstance(value, QColor) else default


def clipping_faults(root: QWidget) -> list[str]:
    """Labels and buttons whose text needs more room than they have, and items cut without
    a tooltip; a text that ends in an ellipsis and has a tooltip is elided on purpose."""
    faults = []
    for widget in shown(root):
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text().strip():
            faults += _cut_widget(widget)
        if isinstance(widget, QHeaderView) and widget.model() is not None:
            faults += _cut_sections(widget)
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            faults += _cut_items(widget)
    return faults


def _cut_sections(header: QHeaderView) -> list[str]:
    """Column titles wider than their column (Qt cuts them at both ends, with no "…")."""
    faults, model = [], header.model()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        title = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        tip = model.headerData(section, header.orientation(), Qt.ItemDataRole.ToolTipRole)
        room, need = header.sectionSize(section), _title_width(header, str(title))
        if isinstance(title, str) and title.strip() and need > room + 1 and not tip:
            faults.append(f"{described(header)} column {title!r}: needs {need}, has {room}")
    return faults


def _cut_widget(widget: QLabel | QAbstractButton) -> list[str]:
    if isinstance(widget, QLabel) and not widget.pixmap().isNull():
        return []
    if widget.text().endswith(ELLIPSIS) and widget.toolTip():
        return []
    size, hint = widget.size(), widget.sizeHint()
    need_height = hint.height()
    if isinstance(widget, QLabel) and widget.wordWrap():
        need_height = widget.heightForWidth(widget.width())
        hint.setWidth(0)
    if hint.width() <= size.width() + 1 and need_height <= size.height() + 1:
        return []
    needed = f"{max(hint.width(), size.width())}x{need_height}"
    return [
        f"{described(widget)} {widget.text()[:50]!r}: needs {needed}, has {size.width()}x"
        f"{size.height()}"
    ]


def _title_width(header: QHeaderView, title: str) -> int:
    """A column title's width as the style sheet draws it: semibold, 6 px either side."""
    font = QFont(header.font())
    font.setWeight(QFont.Weight.DemiBold)
    return QFontMetrics(font).horizontalAdvance(title) + SECTION_PADDING


def _cut_items(view: QAbstractItemView) -> list[str]:
    faults = []
    for index, rect in visible_items(view):
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text.strip() or index.data(Qt.ItemDataRole.ToolTipRole):
            continue
        hint, room = view.sizeHintForIndex(index), _room(view, rect)
        if hint.width() > room.width() + 1 or hint.height() > room.height() + 1:
            faults.append(
                f"{described(view)} item {text[:50]!r}: needs {hint.width()}x{hint.height()},"
                f" has {room.width()}x{room.height()}, no tooltip"
            )
    return faults


def _room(view: QAbstractItemView, rect: QRect) -> QRect:
    """An item's rectangle; in a list, only the part the list shows (a list does not scroll
    sideways to show the rest of a line)."""
    if isinstance(view, QListView):
        rect.setRight(min(rect.right(), view.viewport().rect().right()))
    return rect
