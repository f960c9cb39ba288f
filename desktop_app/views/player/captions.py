"""WebVTT captions: the cues of one track, and the label that shows the current one."""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
from pathlib import Path

import webvtt
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget
from webvtt.errors import MalformedCaptionError, MalformedFileError

from desktop_app.views.player.scaled_label import ScaledLabel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


class CaptionTrack:
    """The cues of one WebVTT file, looked up by playback time in seconds."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = sorted(cues, key=lambda cue: cue.start)
        self._starts = [cue.start for cue in self.cues]

    @classmethod
    def read(cls, path: Path) -> CaptionTrack | None:
        """The track in `path`, or None (logged) if the file cannot be read as WebVTT."""
        try:
            captions = webvtt.read(str(path)).captions
        except (OSError, UnicodeDecodeError, MalformedFileError, MalformedCaptionError) as error:
            log.warning("Captions %s could not be read: %s", path.name, error)
            return None
        return cls([Cue(c.start_in_seconds, c.end_in_seconds, c.text) for c in captions])

    def text_at(self, seconds: float) -> str:
        """The text of the cue showing at `seconds` (the latest to start), or ''."""
        index = bisect.bisect_right(self._starts, seconds)
        # Cues may overlap: of the few that started last, show the latest still running.
        for cue in reversed(self.cues[max(0, index - 8) : index]):
            if seconds < cue.end:
                return cue.text
        return ""


CAPTION_SCALE = 1.25  # captions read a little larger than the window's text


class CaptionLabel(ScaledLabel):
    """The cue playing, in the window's two colours, light on dark; keeps its height of two
    lines while cues come and go."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(scale=CAPTION_SCALE, parent=parent)
        self.setObjectName("caption")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._paint_band()
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()
        elif event.type() == QEvent.Type.ApplicationPaletteChange:
            self._paint_band()

    def _paint_band(self) -> None:
        """The darker of the window's two colours behind, the lighter for the words: dark
        under the picture in every theme."""
        palette = QApplication.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        band, words = (window, text) if window.lightness() < text.lightness() else (text, window)
        self.setStyleSheet(
            f"QLabel#caption {{ background: {band.name()}; color: {words.name()};"
            " padding: 6px 12px; }"
        )

    def _fit_height(self) -> None:
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 16)


OVER_VIDEO = (
    Qt.WindowType.Tool
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.WindowDoesNotAcceptFocus
)
"""A caption over a full-screen video is a window of its own: a widget laid over the picture
would sit under the video's native surface. It never takes the keyboard from the picture."""


def over_video_caption(parent: QWidget) -> CaptionLabel:
    label = CaptionLabel()
    label.setParent(parent, OVER_VIDEO)
    label.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    label.hide()
    return label


def place_over(label: CaptionLabel, picture: QWidget) -> None:
    """Near the foot of `picture`, four fifths of its width, as tall as its text."""
    width = picture.width() * 4 // 5
    height = max(label.minimumHeight(), label.heightForWidth(width))
    left, top = (picture.width() - width) // 2, picture.height() - height - picture.height() // 12
    label.setGeometry(QRect(picture.mapToGlobal(QPoint(left, top)), QSize(width, height)))
