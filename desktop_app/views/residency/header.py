"""The top of a residency page: title, venue and address, the day on the venue's clock and,
when it reads differently, on the learner's."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.residency import ResidencyDetail
from desktop_app.views.residency.when import day_span, your_span


def scaled_font(label: QLabel, factor: float, weight: QFont.Weight) -> QFont:
    """The label's own font, `factor` times as large (so the text size setting scales it)."""
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setWeight(weight)
    return font


class ResidencyHeader(QWidget):
    """Title, venue and address, the day in venue time and in the learner's time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(wordWrap=True)
        self.title.setFont(scaled_font(self.title, 1.6, QFont.Weight.DemiBold))
        self.venue = QLabel(wordWrap=True)
        self.venue.setFont(scaled_font(self.venue, 1.0, QFont.Weight.DemiBold))
        self.address = QLabel(wordWrap=True)
        self.when = QLabel(wordWrap=True)
        self.yours = QLabel(wordWrap=True)
        self.summary = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label in (self.title, self.venue, self.address, self.when, self.yours, self.summary):
            layout.addWidget(label)

    def show_detail(self, detail: ResidencyDetail) -> None:
        title = detail.title
        if detail.past:
            title = self.tr("{title} (past)").format(title=detail.title)
        self.title.setText(title)
        self.venue.setText(detail.venue_name)
        self.address.setText(detail.venue_address)
        self.address.setVisible(bool(detail.venue_address))
        self.when.setText(
            self.tr("{when} — venue time ({zone})").format(
                when=day_span(detail.venue_span), zone=detail.timezone
            )
        )
        self._show_yours(detail)
        self.summary.setText(detail.summary)
        self.summary.setVisible(bool(detail.summary))

    def _show_yours(self, detail: ResidencyDetail) -> None:
        yours = detail.your_span
        self.yours.setVisible(yours is not None)
        if yours is not None:
            when = your_span(detail.venue_span, yours)
            self.yours.setText(self.tr("Your time: {when}").format(when=when))
