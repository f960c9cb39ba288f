"""The progress bar drawn in table cells (the downloads and storage tables) takes its colours
from the palette, so it reads in light, dark and high-contrast themes alike."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.views.progress_delegate import draw_bar


def bar_image(palette: QPalette, fraction: float, selected: bool = False) -> QImage:
    image = QImage(200, 24, QImage.Format.Format_RGB32)
    image.fill(palette.color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    draw_bar(painter, QRectF(0, 0, 200, 24), fraction, palette, selected)
    painter.end()
    return image


@pytest.mark.parametrize(
    ("base", "text", "highlight"),
    [
        ("#ffffff", "#1f2933", "#1f6f8b"),
        ("#1e1e1e", "#f0f0f0", "#5bc0de"),
        ("#000000", "#ffffff", "#ffff00"),
    ],
)
def test_the_bar_is_painted_from_the_palette(
    qapp: QApplication, base: str, text: str, highlight: str
) -> None:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Highlight, highlight),
    ):
        palette.setColor(role, QColor(colour))
    image = bar_image(palette, 0.5)
    assert QColor(image.pixel(20, 12)) == QColor(highlight)  # the filled part
    track = QColor(image.pixel(180, 12))
    assert track != QColor(base) and abs(track.lightness() - QColor(base).lightness()) < 40
    selected = bar_image(palette, 0.5, selected=True)
    assert QColor(selected.pixel(100, 0)) != QColor(image.pixel(100, 0))  # outlined apart
