"""The attendee badge, large enough for venue staff to scan from the learner's screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app.residency import BadgeInfo, badge_png
from desktop_app.views.residency.header import scaled_font
from desktop_app.views.residency.when import day_span

QR_PIXELS = 360


def badge_image(token: str, min_px: int = QR_PIXELS) -> QImage:
    """The token's QR code as an image (black on white, with its quiet zone)."""
    image = QImage.fromData(badge_png(token, min_px))
    if image.isNull():
        raise ValueError("the badge image could not be drawn")
    return image


class BadgeDialog(QDialog):
    """The attendee's name, the residency, and the QR code of the badge token. The code is
    drawn black on white with its own white margin, so it scans in any theme."""

    def __init__(self, badge: BadgeInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Attendee badge"))
        self.image = badge_image(badge.token)
        self.qr = _centred("")
        self.qr.setPixmap(QPixmap.fromImage(self.image))
        self.qr.setAccessibleName(self.tr("Badge QR code"))
        self.qr.setAccessibleDescription(self.tr("Show this code at the registration desk."))
        self.name = _centred(badge.attendee_name or self.tr("Attendee"))
        self.name.setFont(scaled_font(self.name, 2.0, QFont.Weight.Bold))
        self.name.setAccessibleName(self.tr("Attendee name"))
        where = f"{badge.residency_title}\n{badge.venue_name}\n{day_span(badge.span)}"
        self.residency = _centred(where)
        self.residency.setFont(scaled_font(self.residency, 1.1, QFont.Weight.Normal))
        self.hint = _centred(self.tr("Show this code at the registration desk."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.name, self.residency, self.qr, self.hint, buttons):
            layout.addWidget(widget)


def _centred(text: str) -> QLabel:
    label = QLabel(text, wordWrap=True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
