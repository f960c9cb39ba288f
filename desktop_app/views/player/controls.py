"""The transport bar under a video or audio lesson."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QWidget,
)

SPEEDS = (0.75, 1.0, 1.25, 1.5, 2.0)


def clock(seconds: float) -> str:
    """`m:ss` (or `h:mm:ss`) for a time in seconds."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class MediaControls(QWidget):
    """Signals:
    play_toggled(): the learner pressed play/pause.
    seek_requested(float): the learner moved the position slider (seconds).
    speed_chosen(float): the learner chose a playback speed.
    volume_chosen(float): the learner moved the volume slider (0…1).
    captions_toggled(bool): the learner switched captions on or off.
    """

    play_toggled = Signal()
    seek_requested = Signal(float)
    speed_chosen = Signal(float)
    volume_chosen = Signal(float)
    captions_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play = QPushButton()
        self.play.setToolTip("Play or pause (Space)")
        self.play.clicked.connect(self.play_toggled)
        self.position = QSlider(Qt.Orientation.Horizontal)
        self.position.setAccessibleName("Position")
        self.position.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.position.sliderMoved.connect(lambda ms: self.seek_requested.emit(ms / 1000))
        self.position.actionTriggered.connect(self._on_slider_action)
        self.time = QLabel("0:00 / 0:00")
        self.speed = QComboBox()
        self.speed.setToolTip("Playback speed")
        self.speed.setAccessibleName("Playback speed")
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.activated.connect(lambda i: self.speed_chosen.emit(self.speed.itemData(i)))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setToolTip("Volume (Up/Down)")
        self.volume.setAccessibleName("Volume")
        self.volume.setRange(0, 100)
        self.volume.setFixedWidth(90)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.valueChanged.connect(lambda v: self.volume_chosen.emit(v / 100))
        self.captions = QPushButton("CC")
        self.captions.setCheckable(True)
        self.captions.toggled.connect(self.captions_toggled)
        self._layout()
        self.set_playing(False)

    def _layout(self) -> None:
        volume_icon = QLabel()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume)
        volume_icon.setPixmap(icon.pixmap(16, 16))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.play)
        row.addWidget(self.position, 1)
        row.addWidget(self.time)
        row.addWidget(self.speed)
        row.addWidget(volume_icon)
        row.addWidget(self.volume)
        row.addWidget(self.captions)

    def _on_slider_action(self, _action: int) -> None:
        # A click on the groove or a key on the slider: go where the slider will land.
        if not self.position.isSliderDown():
            self.seek_requested.emit(self.position.sliderPosition() / 1000)

    def set_playing(self, playing: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play.setIcon(self.style().standardIcon(icon))
        self.play.setText("Pause" if playing else "Play")
        self.play.setAccessibleName(self.play.text())

    def set_duration(self, seconds: float) -> None:
        self.position.setRange(0, int(seconds * 1000))
        self.position.setPageStep(max(1000, int(seconds * 100)))
        self._show_time()

    def set_position(self, seconds: float) -> None:
        if not self.position.isSliderDown():
            self.position.setValue(int(seconds * 1000))
        self._show_time()

    def set_speed(self, speed: float) -> None:
        index = self.speed.findData(speed)
        if index >= 0:
            self.speed.setCurrentIndex(index)

    def set_volume(self, volume: float) -> None:
        self.volume.setValue(round(volume * 100))

    def set_captions(self, available: bool, shown: bool) -> None:
        self.captions.setEnabled(available)
        self.captions.setChecked(available and shown)
        self.captions.setToolTip("Captions (C)" if available else "No captions for this lesson")

    def _show_time(self) -> None:
        position, duration = self.position.value() / 1000, self.position.maximum() / 1000
        self.time.setText(f"{clock(position)} / {clock(duration)}")
