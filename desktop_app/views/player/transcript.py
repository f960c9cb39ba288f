"""The transcript of an audio lesson: every caption cue, the one playing marked, a cue chosen
to play from."""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from desktop_app.views.player.captions import CaptionTrack
from desktop_app.views.player.controls import clock

START_ROLE = Qt.ItemDataRole.UserRole
LIST_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class TranscriptView(QListWidget):
    """One row per cue, `m:ss  text`, wrapped; the cue playing is marked in the highlight
    colours, apart from the row the keyboard is on, which Enter plays from.

    Signals:
    cue_chosen(float): the learner clicked a cue or pressed Enter on it (its start, seconds).
    """

    cue_chosen = Signal(float)

    def __init__(self, track: CaptionTrack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Transcript"))
        self.setToolTip(self.tr("Click a line, or press Enter on it, to play from there"))
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._starts = [cue.start for cue in track.cues]
        self._texts = [cue.text for cue in track.cues]
        self._playing = -1
        for cue in track.cues:
            words = " ".join(cue.text.split())  # a cue's lines read on, under its time
            item = QListWidgetItem(f"{clock(cue.start)}  {words}")
            item.setData(START_ROLE, cue.start)
            self.addItem(item)
        self.itemClicked.connect(self._choose)
        self.itemActivated.connect(self._choose)

    def playing_row(self) -> int:
        return self._playing

    def show_time(self, seconds: float, text: str) -> None:
        """Mark the cue showing `text` at `seconds` (of those that overlap, the latest
        started), or none; scroll it into view unless the learner is moving in the list."""
        row = self._row_at(seconds, text) if text else -1
        if row == self._playing:
            return
        self._mark(self._playing, False)
        self._playing = row
        self._mark(row, True)
        if row >= 0 and not self.hasFocus():
            self.scrollToItem(self.item(row), QAbstractItemView.ScrollHint.EnsureVisible)

    def _row_at(self, seconds: float, text: str) -> int:
        last = bisect.bisect_right(self._starts, seconds) - 1
        for row in range(last, max(last - 8, -1), -1):
            if self._texts[row] == text:
                return row
        return -1

    def _mark(self, row: int, playing: bool) -> None:
        item = self.item(row) if row >= 0 else None
        if item is None:
            return
        font = item.font()
        font.setBold(playing)
        item.setFont(font)
        palette = self.palette()
        item.setBackground(palette.highlight() if playing else QBrush())
        item.setForeground(palette.highlightedText() if playing else QBrush())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._mark(self._playing, True)

    def event(self, event: QEvent) -> bool:
        # Up and Down move in the list here, not the volume as elsewhere in the player.
        if event.type() == QEvent.Type.ShortcutOverride:
            key_event = event if isinstance(event, QKeyEvent) else None
            if key_event is not None and key_event.key() in LIST_KEYS:
                event.accept()
                return True
        return super().event(event)

    def _choose(self, item: QListWidgetItem) -> None:
        self.cue_chosen.emit(float(item.data(START_ROLE)))
