"""Video and audio lessons: QMediaPlayer with captions, speed, volume and keyboard control.

Completion: the lesson completes when the stretches actually played in this session add up to
90% of the duration (seeking ahead does not count as playing), or when playback reaches the
end of the media.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import cast

from PySide6.QtCore import Q_ARG, QEvent, QMetaObject, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.progress.coverage import MEDIA_COMPLETION_SHARE, PlayedCoverage
from desktop_app.views.player.captions import (
    CaptionLabel,
    CaptionTrack,
    over_video_caption,
    place_over,
)
from desktop_app.views.player.controls import MediaControls
from desktop_app.views.player.transcript import TranscriptView
from desktop_app.views.status_colours import BAD, set_tone

SEEK_STEP = 10.0
VOLUME_STEP = 0.1
DEFAULT_VOLUME = 0.8
Status = QMediaPlayer.MediaStatus


class MediaPage(QWidget):
    """Plays one video or audio file.

    Signals:
    progressed(float, float): playback position in seconds, and that position as a share of
        the duration.
    finished(): the completion rule was met (90% played, or the end reached).
    """

    progressed = Signal(float, float)
    finished = Signal()
    _seek_posted = Signal()

    def __init__(
        self,
        media: Path | QUrl,
        captions: Path | None,
        *,
        video: bool,
        title: str = "",
        resume: float = 0.0,
        video_output: QVideoWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`video_output`: a video widget to play into, kept by the caller for the next video
        (see `stop`); without one the page makes its own. `title` names the picture for
        screen readers."""
        super().__init__(parent)
        self._resume, self._finished, self._stopped, self._duration = resume, False, False, 0.0
        self._seeks_pending, self._seek_target = 0, 0.0
        self._video = video
        self.coverage = PlayedCoverage()
        self.track = CaptionTrack.read(captions) if captions else None
        self.audio = QAudioOutput(self)
        self.audio.setVolume(DEFAULT_VOLUME)
        self.player = QMediaPlayer(self)
        self.player.setAudioOutput(self.audio)
        self.transcript: TranscriptView | None = None
        self.picture: QWidget = self._video_picture(video_output) if video else self._audio_panel()
        self.picture.setAccessibleName(self._picture_name(title))
        self.caption = CaptionLabel()
        self.screen_caption: CaptionLabel | None = None  # over the picture, full screen
        self.error = QLabel(wordWrap=True)
        self.error.setVisible(False)
        set_tone(self.error, BAD)
        self.controls = MediaControls(video=video)
        self.controls.set_volume(DEFAULT_VOLUME)
        self.controls.set_captions(self.track is not None, shown=True)
        self.caption.setVisible(self.track is not None)
        self._layout()
        self._order_tabs()
        self._connect()
        self._add_shortcuts()
        # A QUrl is a lesson streamed before it is downloaded (desktop_app.downloads.online).
        self.player.setSource(media if isinstance(media, QUrl) else QUrl.fromLocalFile(str(media)))

    def _picture_name(self, title: str) -> str:
        if self._video:
            return self.tr("Video: {title}").format(title=title)
        if self.transcript is not None:
            return self.tr("Transcript")
        return self.tr("Audio: {title}").format(title=title)

    def _video_picture(self, output: QVideoWidget | None) -> QVideoWidget:
        picture = output or QVideoWidget()
        # Letterboxing is black in every theme, as in every video player.
        picture.setStyleSheet("background: black;")
        picture.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        picture.setToolTip(self.tr("Double-click for full screen (F; Esc leaves it)"))
        picture.installEventFilter(self)
        picture.fullScreenChanged.connect(self._follow_full_screen)
        self.player.setVideoOutput(picture)
        return picture

    def _audio_panel(self) -> QWidget:
        """The transcript when the lesson has captions; else one line saying what plays."""
        if self.track is not None and self.track.cues:
            self.transcript = TranscriptView(self.track)
            return self.transcript
        panel = QLabel(self.tr("Audio lesson: this lesson has no transcript."), wordWrap=True)
        panel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        panel.setMargin(12)
        return panel

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        stretch = 0 if isinstance(self.picture, QLabel) else 1
        layout.addWidget(self.picture, stretch)
        layout.addWidget(self.caption)
        layout.addWidget(self.error)
        layout.addWidget(self.controls)
        if stretch == 0:
            layout.addStretch(1)

    def _order_tabs(self) -> None:
        widgets = ([self.transcript] if self.transcript else []) + self.controls.in_tab_order()
        for first, second in pairwise(widgets):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.player.durationChanged.connect(self._on_duration)
        self.player.positionChanged.connect(self._on_position)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.errorOccurred.connect(self._on_error)
        self.controls.play_toggled.connect(self.toggle_play)
        self.controls.seek_requested.connect(self.seek)
        self.controls.speed_chosen.connect(self.set_speed)
        self.controls.volume_chosen.connect(self.audio.setVolume)
        self.controls.captions_toggled.connect(self.show_captions)
        self.controls.full_screen_requested.connect(self.toggle_full_screen)
        if self.transcript is not None:
            self.transcript.cue_chosen.connect(self.seek)
        self._seek_posted.connect(self._seek_done, Qt.ConnectionType.QueuedConnection)

    def _key_actions(self) -> dict[Qt.Key, Callable[[], object]]:
        keys: dict[Qt.Key, Callable[[], object]] = {
            Qt.Key.Key_Space: self.toggle_play,
            Qt.Key.Key_MediaPlay: self.toggle_play,
            Qt.Key.Key_MediaTogglePlayPause: self.toggle_play,
            Qt.Key.Key_MediaPause: self.pause,
            Qt.Key.Key_Left: lambda: self.seek(self.position() - SEEK_STEP),
            Qt.Key.Key_Right: lambda: self.seek(self.position() + SEEK_STEP),
            Qt.Key.Key_Up: lambda: self.change_volume(VOLUME_STEP),
            Qt.Key.Key_Down: lambda: self.change_volume(-VOLUME_STEP),
            Qt.Key.Key_C: lambda: self.show_captions(not self.captions_shown()),
        }
        if self._video:
            keys[Qt.Key.Key_F] = self.toggle_full_screen
        return keys

    def _add_shortcuts(self) -> None:
        for key, action in self._key_actions().items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The video widget's double-click, and its keys while it is a full-screen window of
        its own (the page's shortcuts do not reach another window)."""
        if watched is not self.picture or self._stopped:
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.MouseButtonDblClick:
            self.toggle_full_screen()
            return True
        if event.type() == QEvent.Type.KeyPress and self.is_full_screen():
            return self._full_screen_key(cast("QKeyEvent", event))
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move) and self.is_full_screen():
            self._follow_full_screen()
        return super().eventFilter(watched, event)

    def _full_screen_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape:
            self.toggle_full_screen()
            return True
        action = self._key_actions().get(Qt.Key(event.key()))
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        action()
        return True

    # Learner actions -----------------------------------------------------------------------

    def play(self) -> None:
        self.player.play()

    def pause(self) -> None:
        self.player.pause()

    def toggle_play(self) -> None:
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        if playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Move playback to `seconds`, within the media.

        The player is moved from the event loop, by a queued call of its C++ slot, never from
        Python: `setPosition` rebuilds the FFmpeg backend's renderers, and the one it drops dies
        on its own thread as it does in `stop`, under a Qt connection lock, waiting for the
        interpreter lock a direct call would keep. Until the move is made, `position()` is the
        target, so that a second step (two presses of →) starts from there."""
        end = self._duration or max(seconds, 0.0)
        target = min(max(seconds, 0.0), end)
        self.coverage.jumped_to(target)
        self._seeks_pending, self._seek_target = self._seeks_pending + 1, target
        milliseconds = Q_ARG("qint64", int(target * 1000))
        QMetaObject.invokeMethod(
            self.player, "setPosition", Qt.ConnectionType.QueuedConnection, milliseconds
        )
        self._seek_posted.emit()  # delivered after the move: posted events keep their order

    def _seek_done(self) -> None:
        self._seeks_pending -= 1

    def set_speed(self, speed: float) -> None:
        self.player.setPlaybackRate(speed)
        self.controls.set_speed(speed)

    def change_volume(self, step: float) -> None:
        volume = min(max(self.audio.volume() + step, 0.0), 1.0)
        self.audio.setVolume(volume)
        self.controls.set_volume(volume)

    def show_captions(self, shown: bool) -> None:
        shown = shown and self.track is not None
        self.caption.setVisible(shown)
        self.controls.set_captions(self.track is not None, shown)
        self._follow_full_screen()

    def captions_shown(self) -> bool:
        return self.track is not None and self.controls.captions.isChecked()

    def toggle_full_screen(self) -> None:
        if isinstance(self.picture, QVideoWidget):
            self.picture.setFullScreen(not self.picture.isFullScreen())

    def is_full_screen(self) -> bool:
        return isinstance(self.picture, QVideoWidget) and self.picture.isFullScreen()

    def _follow_full_screen(self, *_full: bool) -> None:
        """The caption playing over the picture while it fills the screen (and captions are
        on and a cue is playing); otherwise that caption is hidden."""
        label, text = self.screen_caption, self.caption.text()
        if self.is_full_screen() and self.captions_shown() and text and not self._stopped:
            if label is None:  # a window above the picture's, made once it is needed
                label = self.screen_caption = over_video_caption(self.picture)
            label.setText(text)
            place_over(label, self.picture)
            label.show()
        elif label is not None:
            label.hide()

    def position(self) -> float:
        if self._seeks_pending:
            return self._seek_target
        return self.player.position() / 1000

    def stop(self) -> None:
        """Report where playback is, then release the media (and report nothing more).

        Releasing is `setSource(QUrl())` alone: it stops playback too, and PySide runs it
        without the interpreter lock. `stop()` keeps that lock while the FFmpeg backend tears
        down its threads' objects; the audio renderer, dying on its own thread, holds a Qt
        connection lock and asks PySide for our QAudioOutput's meta-object, which needs the
        interpreter lock. Each waited for the other, once in about fifty closings."""
        if self._stopped:
            return
        if self._duration and not self._resume:  # loaded, and not still waiting to resume
            self._report(self.position())
        self._stopped = True
        self.player.setSource(QUrl())
        self._release_picture()

    def _release_picture(self) -> None:
        """Detach the video widget once the media is released (the FFmpeg renderers are gone,
        so this waits on nothing), for its owner to play the next video into: a QVideoWidget
        made and destroyed for every lesson leaves about 2 MB behind in Qt each time."""
        if isinstance(self.picture, QVideoWidget):
            self.picture.removeEventFilter(self)
            self.picture.fullScreenChanged.disconnect(self._follow_full_screen)
            if self.screen_caption is not None:  # the picture may outlive this page
                self.screen_caption.deleteLater()
                self.screen_caption = None
            self.picture.setFullScreen(False)
            self.player.setVideoOutput(None)  # type: ignore[arg-type]  # Qt takes nullptr
            self.picture.videoSink().setVideoFrame(QVideoFrame())  # no last frame in the next

    # Player events -------------------------------------------------------------------------

    def _on_duration(self, milliseconds: int) -> None:
        self._duration = milliseconds / 1000
        self.controls.set_duration(self._duration)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if self._stopped:
            return
        if status == Status.LoadedMedia:
            self._show_still()
        if status == Status.LoadedMedia and self._resume:
            resume, self._resume = self._resume, 0.0
            if resume < self._duration * 0.98:
                self.seek(resume)
        elif status == Status.EndOfMedia:
            self._report(self._duration)
            self._finish()

    def _show_still(self) -> None:
        """A loaded video shows its first frame (paused) instead of a black box."""
        if self._video and self.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState:
            self.player.pause()

    def _on_position(self, milliseconds: int) -> None:
        if self._stopped:
            return
        seconds = milliseconds / 1000
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        if playing and not self._seeks_pending:  # a move still waiting is no playing
            self.coverage.played_to(seconds, max_step=1.0 + 2.0 * self.player.playbackRate())
        else:
            self.coverage.jumped_to(seconds)
        self.controls.set_position(seconds)
        text = self.track.text_at(seconds) if self.track else ""
        self.caption.setText(text)
        if self.is_full_screen():
            self._follow_full_screen()
        if self.transcript is not None:
            self.transcript.show_time(seconds, text)
        self._report(seconds)
        if self._duration and self.coverage.seconds() >= MEDIA_COMPLETION_SHARE * self._duration:
            self._finish()

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self.controls.set_playing(state == QMediaPlayer.PlaybackState.PlayingState)

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        error = self.tr("This media file could not be played: {reason}")
        self.error.setText(error.format(reason=message))
        self.error.setVisible(True)

    def _report(self, seconds: float) -> None:
        share = min(seconds / self._duration, 1.0) if self._duration else 0.0
        self.progressed.emit(seconds, share)

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            self.finished.emit()
