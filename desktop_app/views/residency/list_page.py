"""The residencies the learner is enrolled in (upcoming first), and the page of the one chosen."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QListView, QStackedWidget, QVBoxLayout, QWidget

from desktop_app.gui.background import BackgroundRunner
from desktop_app.residency import ResidencyDesk, ResidencySummary
from desktop_app.views.residency.header import scaled_font
from desktop_app.views.residency.models import ResidencyListModel
from desktop_app.views.residency.page import ChooseIcsPath, ResidencyPage, ask_ics_path


class ResidencyList(QWidget):
    """The list of residencies; choosing one opens its page (when a desk is given).

    Signals:
        continue_course(str): the learner chose to continue a prerequisite course (its id).
    """

    continue_course = Signal(str)

    def __init__(
        self,
        desk: ResidencyDesk | None = None,
        runner: BackgroundRunner | None = None,
        *,
        choose_ics_path: ChooseIcsPath = ask_ics_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self.model = ResidencyListModel(self)
        self.list = QListView()
        self.list.setAlternatingRowColors(True)
        self.list.setModel(self.model)
        self.list.setSpacing(2)
        self.list.setAccessibleName(self.tr("Residencies"))
        self.list.clicked.connect(self._on_chosen)
        self.list.activated.connect(self._on_chosen)
        self.empty = QLabel(self.tr("You are not enrolled in a residency yet."), wordWrap=True)
        self.page: ResidencyPage | None = None
        if desk is not None and runner is not None:
            self.page = ResidencyPage(desk, runner, choose_ics_path=choose_ics_path)
            self.page.continue_course.connect(self.continue_course.emit)
            self.page.back_requested.connect(self.show_list)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._list_pane())
        if self.page is not None:
            self.stack.addWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _list_pane(self) -> QWidget:
        pane = QWidget()
        heading = QLabel(self.tr("Residencies"), wordWrap=True)
        heading.setFont(scaled_font(heading, 1.5, QFont.Weight.DemiBold))
        layout = QVBoxLayout(pane)
        layout.addWidget(heading)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        return pane

    def refresh(self) -> None:
        """Re-reads the residencies (and the open page) from the desk."""
        if self._desk is not None:
            self.show_residencies(self._desk.summaries())

    def show_residencies(self, rows: Sequence[ResidencySummary]) -> None:
        summaries = list(rows)
        self.model.set_rows(summaries)
        self.empty.setVisible(not summaries)
        if self.page is not None and self.page.residency_id:
            if any(row.id == self.page.residency_id for row in summaries):
                self.page.reload()
            else:
                self.show_list()

    def open_residency(self, residency_id: str) -> bool:
        if self._desk is None or self.page is None:
            return False
        detail = self._desk.detail(residency_id)
        if detail is None:
            return False
        self.page.show_detail(detail)
        self.stack.setCurrentWidget(self.page)
        return True

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)

    def _on_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_residency(self.model.row_at(index.row()).id)
