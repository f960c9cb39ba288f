"""The attendee badge, large enough for venue staff to scan from the learner's screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app.residency import BadgeInfo, badge_png

QR_PIXELS = 360


def badge_image(token: str, min_px: int = QR_PIXELS) -> QImage:
    """The token's QR code as an image (black on white, with its quiet zone)."""
    image = QImage.fromData(badge_png(token, min_px))
    if image.isNull():
        raise ValueError("the badge image could not be drawn")
    return image


class BadgeDialog(QDialog):
    """The QR code of the badge token with the attendee's name, on white."""

    def __init__(self, badge: BadgeInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attendee badge")
        self.setStyleSheet("QDialog { background: white; } QLabel { color: #1b1b1b; }")
        self.image = badge_image(badge.token)
        self.qr = _centred("")
        self.qr.setPixmap(QPixmap.fromImage(self.image))
        self.qr.setAccessibleName("Badge QR code")
        self.name = _centred(
            badge.attendee_name or "Attendee", "font-size: 22pt; font-weight: 700;"
        )
        self.residency = _centred(
            f"{badge.residency_title}\n{badge.venue_name}\n{badge.day}", "font-size: 11pt;"
        )
        hint = _centred("Show this code at the registration desk.", "color: #555555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.name, self.residency, self.qr, hint, buttons):
            layout.addWidget(widget)


def _centred(text: str, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(style)
    return label
