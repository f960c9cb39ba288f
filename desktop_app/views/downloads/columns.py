"""Column widths that hold still while progress updates arrive, and the page title's font."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTableView

from desktop_app.views.i18n import localized

PADDING = 24  # the cell's margins and the header's sort indicator room
TITLE_SCALE = 1.5
PROGRESS_SAMPLE = "100 %" * 3  # room for the bar on both sides of its percentage


def hold_columns(
    table: QTableView, samples: Sequence[str], stretch: int = 0, progress: int = 1
) -> None:
    """Column `stretch` takes the spare width; a column with a sample text is fixed as wide
    as the wider of it and its header; the `progress` bar's column as wide as a few of its
    percentages, so it grows with the text size too."""
    header = table.horizontalHeader()
    model = table.model()
    metrics = table.fontMetrics()
    header_metrics = header.fontMetrics()

    def title(column: int) -> str:
        return localized(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))

    # The stretched column never gets narrower than its heading: past that the table
    # scrolls sideways rather than cut it, or make the window wider.
    header.setMinimumSectionSize(header_metrics.horizontalAdvance(title(stretch)) + PADDING)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, sample in enumerate(samples):
        if column == stretch or not (sample or column == progress):
            continue
        text = PROGRESS_SAMPLE if column == progress else sample
        width = max(
            metrics.horizontalAdvance(text), header_metrics.horizontalAdvance(title(column))
        )
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, width + PADDING)


def title_font(font: QFont) -> QFont:
    """A page title: bigger than the text around it, by the same share at any text size."""
    bigger = QFont(font)
    bigger.setPointSizeF(font.pointSizeF() * TITLE_SCALE)
    bigger.setWeight(QFont.Weight.DemiBold)
    return bigger
