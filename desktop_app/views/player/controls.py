"""The transport bar under a video or audio lesson."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QVBoxLayout,
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
    full_screen_requested(): the learner pressed the full screen button (video only).
    """

    play_toggled = Signal()
    seek_requested = Signal(float)
    speed_chosen = Signal(float)
    volume_chosen = Signal(float)
    captions_toggled = Signal(bool)
    full_screen_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, video: bool = False) -> None:
        super().__init__(parent)
        self._playing = False
        self.play = QPushButton()
        self.play.setToolTip(self.tr("Play or pause (Space)"))
        self.play.clicked.connect(self.play_toggled)
        self._make_position()
        self._make_speed()
        self._make_volume()
        self.captions = QPushButton(self.tr("CC", "the captions button"))
        self.captions.setAccessibleName(self.tr("Captions"))
        self.captions.setCheckable(True)
        self.captions.toggled.connect(self.captions_toggled)
        self.full_screen = QPushButton(self.tr("Full screen"))
        self.full_screen.setToolTip(self.tr("Full screen (F; Esc leaves it)"))
        self.full_screen.clicked.connect(self.full_screen_requested)
        self.full_screen.setVisible(video)
        self._layout()
        self.set_playing(False)
        self._fit_play_width()

    def _make_position(self) -> None:
        self.position = QSlider(Qt.Orientation.Horizontal)
        self.position.setAccessibleName(self.tr("Seek"))
        self.position.setToolTip(self.tr("Seek (Left and Right move 10 seconds)"))
        self.position.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves focus as it was
        self.position.sliderMoved.connect(lambda ms: self.seek_requested.emit(ms / 1000))
        self.position.actionTriggered.connect(self._on_slider_action)
        self.time = QLabel("0:00 / 0:00")

    def _make_speed(self) -> None:
        self.speed = QComboBox()
        self.speed.setToolTip(self.tr("Playback speed"))
        self.speed.setAccessibleName(self.tr("Playback speed"))
        for speed in SPEEDS:
            text = self.tr("{speed}×").format(speed=QLocale().toString(speed, "g", 3))
            self.speed.addItem(text, speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.activated.connect(lambda i: self.speed_chosen.emit(self.speed.itemData(i)))

    def _make_volume(self) -> None:
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setToolTip(self.tr("Volume (Up/Down)"))
        self.volume.setAccessibleName(self.tr("Volume"))
        self.volume.setRange(0, 100)
        self.volume.setMinimumWidth(90)
        self.volume.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.volume.valueChanged.connect(lambda v: self.volume_chosen.emit(v / 100))
        self.volume.valueChanged.connect(self._describe_volume)

    def _layout(self) -> None:
        """The position and the time on one line, the buttons under it, so the position
        keeps its length at any text size."""
        volume_icon = QLabel()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume)
        size = self.fontMetrics().height()
        volume_icon.setPixmap(icon.pixmap(size, size))
        timeline = QHBoxLayout()
        timeline.addWidget(self.position, 1)
        timeline.addWidget(self.time)
        buttons = QHBoxLayout()
        for widget in (self.play, self.speed, volume_icon, self.volume):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.captions)
        buttons.addWidget(self.full_screen)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.addLayout(timeline)
        column.addLayout(buttons)

    def in_tab_order(self) -> list[QWidget]:
        """The controls in reading order: the position's line, then the buttons'."""
        return [self.position, self.play, self.speed, self.volume, self.captions, self.full_screen]

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_play_width()

    def _fit_play_width(self) -> None:
        """Play and Pause take the same width, that of the wider in this language and font."""
        widths = []
        for text in (self._play_text(False), self._play_text(True)):
            self.play.setText(text)
            widths.append(self.play.sizeHint().width())
        self.play.setFixedWidth(max(widths))
        self.set_playing(self._playing)

    def _play_text(self, playing: bool) -> str:
        return self.tr("Pause") if playing else self.tr("Play")

    def _on_slider_action(self, _action: int) -> None:
        # A click on the groove or a key on the slider: go where the slider will land.
        if not self.position.isSliderDown():
            self.seek_requested.emit(self.position.sliderPosition() / 1000)

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play.setIcon(self.style().standardIcon(icon))
        self.play.setText(self._play_text(playing))
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
        self._describe_volume(self.volume.value())

    def set_captions(self, available: bool, shown: bool) -> None:
        self.captions.setEnabled(available)
        self.captions.setChecked(available and shown)
        tip = (
            self.tr("Captions on or off (C)")
            if available
            else self.tr("No captions for this lesson")
        )
        self.captions.setToolTip(tip)

    def _describe_volume(self, value: int) -> None:
        self.volume.setAccessibleDescription(self.tr("{percent}%").format(percent=value))

    def _show_time(self) -> None:
        position, duration = self.position.value() / 1000, self.position.maximum() / 1000
        self.time.setText(f"{clock(position)} / {clock(duration)}")
        described = self.tr("{position} of {duration}")
        self.position.setAccessibleDescription(
            described.format(position=clock(position), duration=clock(duration))
        )
