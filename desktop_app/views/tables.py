"""Read-only tables of whole rows and right-aligned button rows, as every page shows them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView

from desktop_app.views.progress_delegate import ProgressBarDelegate

PROGRESS_WIDTH = 150


def table_for(
    model: QAbstractItemModel,
    stretch: int = 0,
    *,
    progress_column: int | None = None,
    multi: bool = False,
    wrap: bool = False,
) -> QTableView:
    """A read-only table of whole rows; `stretch` takes the spare width, `wrap` long text."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.ExtendedSelection if multi else mode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
    table.setAlternatingRowColors(True)
    table.setWordWrap(wrap)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if progress_column is not None:
        table.setItemDelegateForColumn(progress_column, ProgressBarDelegate(table))
        header.setSectionResizeMode(progress_column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(progress_column, PROGRESS_WIDTH)
    return table


def button_row(*buttons: QPushButton, leading: int = 0) -> QHBoxLayout:
    """Buttons on the right; the first `leading` ones on the left."""
    row = QHBoxLayout()
    for button in buttons[:leading]:
        row.addWidget(button)
    row.addStretch(1)
    for button in buttons[leading:]:
        row.addWidget(button)
    return row
