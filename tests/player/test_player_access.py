"""The players from the keyboard and for screen readers: labels, shortcuts in tooltips, full
screen, the audio transcript, a width that holds still, the quiz's verdict announced."""

from __future__ import annotations

from pathlib import Path

import pytest
from player_samples import (
    HEADLESS_NOISE,
    SAMPLE_MEDIA,
    OpenLesson,
    content,
    write_pdf,
    write_vtt,
    write_wav,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QKeySequence, QShortcut
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from quiz_samples import WRONG

from desktop_app.views.player import LessonPlayer
from desktop_app.views.player.after import NEXT_LESSON_KEY
from desktop_app.views.player.captions import CaptionTrack, Cue
from desktop_app.views.player.media import MediaPage
from desktop_app.views.player.pdf import PdfPage
from desktop_app.views.player.quiz import QuizPage
from desktop_app.views.player.transcript import TranscriptView

# A full-screen window on the offscreen platform, which has no windows within windows.
FULL_SCREEN_NOISE = r"This plugin does not support setParent!"
pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE, FULL_SCREEN_NOISE)
SAMPLE_VIDEO = SAMPLE_MEDIA / "foundations-welcome.mp4"
CUES = [(0.0, 2.0, "First words"), (2.0, 4.0, "Second thought"), (5.0, 6.0, "Last line")]
PLAYING = QMediaPlayer.PlaybackState.PlayingState


def page_of[T](player: LessonPlayer, kind: type[T]) -> T:
    assert isinstance(player.page, kind)
    return player.page


def activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=10_000)


@pytest.fixture
def audio_lesson(tmp_path: Path) -> dict[str, Path]:
    return {
        "media": write_wav(tmp_path / "talk.wav", seconds=6.0),
        "captions": write_vtt(tmp_path / "talk.en.vtt", CUES),
    }


def test_the_audio_lesson_shows_its_transcript_and_plays_from_a_cue(
    qtbot: QtBot, open_lesson: OpenLesson, audio_lesson: dict[str, Path]
) -> None:
    page = page_of(open_lesson(content("audio", audio_lesson)), MediaPage)
    transcript = page.transcript
    assert isinstance(transcript, TranscriptView) and transcript.isVisible()
    assert page.picture is transcript
    assert [transcript.item(row).text() for row in range(transcript.count())] == [
        "0:00  First words",
        "0:02  Second thought",
        "0:05  Last line",
    ]
    assert transcript.accessibleName() == "Transcript"
    qtbot.waitUntil(lambda: page.player.duration() > 0, timeout=15_000)
    page.seek(2.5)
    qtbot.waitUntil(lambda: transcript.playing_row() == 1, timeout=10_000)
    assert transcript.item(1).font().bold() and not transcript.item(0).font().bold()
    last = transcript.visualItemRect(transcript.item(2)).center()
    qtbot.mouseClick(transcript.viewport(), Qt.MouseButton.LeftButton, pos=last)
    qtbot.waitUntil(lambda: page.player.position() >= 4_900, timeout=10_000)
    qtbot.waitUntil(lambda: transcript.playing_row() == 2, timeout=10_000)


def test_a_cue_of_several_lines_reads_as_one_line_of_the_transcript(qtbot: QtBot) -> None:
    cues = [Cue(0.0, 2.0, "[Soft chime]\nBefore you post,  listen."), Cue(2.0, 4.0, "Then")]
    transcript = TranscriptView(CaptionTrack(cues))
    qtbot.addWidget(transcript)
    assert transcript.item(0).text() == "0:00  [Soft chime] Before you post, listen."
    transcript.show_time(1.0, cues[0].text)  # the caption playing, as the file has it
    assert transcript.playing_row() == 0


def test_an_audio_lesson_without_captions_takes_no_large_empty_panel(
    open_lesson: OpenLesson, tmp_path: Path
) -> None:
    player = open_lesson(content("audio", {"media": write_wav(tmp_path / "a.wav", 1.0)}))
    page = page_of(player, MediaPage)
    assert page.transcript is None
    assert page.picture.height() < 3 * page.controls.height()
    assert page.picture.accessibleName() == "Audio: Sample audio lesson"


@pytest.mark.skipif(not SAMPLE_VIDEO.is_file(), reason="the sample curriculum video is absent")
def test_video_goes_full_screen_by_button_key_and_double_click_and_esc_leaves(
    qtbot: QtBot, open_lesson: OpenLesson
) -> None:
    player = open_lesson(content("video", {"media": SAMPLE_VIDEO}))
    page = page_of(player, MediaPage)
    assert page.picture.accessibleName() == "Video: Sample video lesson"
    assert page.controls.full_screen.isVisible()
    assert "(F; Esc leaves it)" in page.controls.full_screen.toolTip()
    qtbot.mouseClick(page.controls.full_screen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.is_full_screen, timeout=10_000)
    qtbot.keyClick(page.picture, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.is_full_screen(), timeout=10_000)
    qtbot.mouseDClick(page.picture, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.is_full_screen, timeout=10_000)
    qtbot.keyClick(page.picture, Qt.Key.Key_Space)  # the player's keys work full screen too
    qtbot.waitUntil(lambda: page.player.playbackState() == PLAYING, timeout=10_000)
    qtbot.keyClick(page.picture, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: not page.is_full_screen(), timeout=10_000)
    activate(qtbot, player)
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_F)
    qtbot.waitUntil(page.is_full_screen, timeout=10_000)
    page.stop()
    assert not page.is_full_screen()


@pytest.mark.skipif(not SAMPLE_VIDEO.is_file(), reason="the sample curriculum video is absent")
@pytest.mark.qt_log_ignore(  # and the caption's window, raised above the picture's
    *HEADLESS_NOISE, FULL_SCREEN_NOISE, r"This plugin does not support raise\(\)"
)
def test_captions_show_over_a_full_screen_video(qtbot: QtBot, open_lesson: OpenLesson) -> None:
    captions = SAMPLE_VIDEO.with_suffix(".en.vtt")
    player = open_lesson(content("video", {"media": SAMPLE_VIDEO, "captions": captions}))
    page = page_of(player, MediaPage)
    qtbot.waitUntil(lambda: page.player.duration() > 0, timeout=15_000)
    page.toggle_full_screen()
    qtbot.waitUntil(page.is_full_screen, timeout=10_000)
    page.seek(1.0)
    qtbot.waitUntil(lambda: page.screen_caption is not None)
    over = page.screen_caption
    assert over is not None and over.isWindow() and over.parentWidget() is page.picture
    qtbot.waitUntil(lambda: over.isVisible() and over.text() == page.caption.text() != "")
    picture = page.picture.geometry()
    assert picture.contains(over.geometry()) and over.geometry().center().y() > picture.center().y()
    qtbot.keyClick(page.picture, Qt.Key.Key_C)  # captions off, full screen too
    assert not over.isVisible()
    qtbot.keyClick(page.picture, Qt.Key.Key_C)
    qtbot.waitUntil(over.isVisible)
    qtbot.keyClick(page.picture, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.is_full_screen(), timeout=10_000)
    assert not over.isVisible()
    page.stop()
    assert page.screen_caption is None


def test_audio_has_no_full_screen_button(
    open_lesson: OpenLesson, audio_lesson: dict[str, Path]
) -> None:
    page = page_of(open_lesson(content("audio", audio_lesson)), MediaPage)
    assert not page.controls.full_screen.isVisible()


def test_play_and_pause_keep_one_width_and_the_controls_are_named(
    qtbot: QtBot, open_lesson: OpenLesson, audio_lesson: dict[str, Path]
) -> None:
    page = page_of(open_lesson(content("audio", audio_lesson)), MediaPage)
    controls = page.controls
    width = controls.play.width()
    assert controls.play.text() == "Play"
    controls.set_playing(True)
    assert controls.play.text() == "Pause" and controls.play.accessibleName() == "Pause"
    assert controls.play.width() == width
    assert controls.play.width() >= controls.play.sizeHint().width()
    names = {
        controls.position: "Seek",
        controls.volume: "Volume",
        controls.captions: "Captions",
        controls.speed: "Playback speed",
    }
    for widget, name in names.items():
        assert widget.accessibleName() == name
    assert "(Space)" in controls.play.toolTip()
    assert "(C)" in controls.captions.toolTip()
    assert "10 seconds" in controls.position.toolTip()
    qtbot.waitUntil(lambda: page.player.duration() > 0, timeout=15_000)
    assert controls.position.accessibleDescription() == "0:00 of 0:06"
    assert controls.volume.accessibleDescription() == "80%"


def test_the_media_play_key_plays_and_pauses(
    qtbot: QtBot, open_lesson: OpenLesson, audio_lesson: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_lesson))
    page = page_of(player, MediaPage)
    activate(qtbot, player)
    qtbot.waitUntil(lambda: page.player.duration() > 0, timeout=15_000)
    assert QApplication.focusWidget() is page.controls.play  # the lesson has the focus
    qtbot.keyClick(page, Qt.Key.Key_MediaPlay)
    qtbot.waitUntil(lambda: page.player.playbackState() == PLAYING, timeout=10_000)
    qtbot.keyClick(page, Qt.Key.Key_MediaPlay)
    qtbot.waitUntil(lambda: page.player.playbackState() != PLAYING, timeout=10_000)


def test_the_next_lesson_key_is_left_to_a_text_field(
    qtbot: QtBot, open_lesson: OpenLesson, tmp_path: Path
) -> None:
    player = open_lesson(content("pdf", {"document": write_pdf(tmp_path / "h.pdf", pages=3)}))
    activate(qtbot, player)
    (next_key,) = [
        shortcut
        for shortcut in player.findChildren(QShortcut)
        if shortcut.key() == QKeySequence(NEXT_LESSON_KEY)
    ]
    pressed: list[bool] = []
    next_key.activated.connect(lambda: pressed.append(True))
    pdf = page_of(player, PdfPage)
    pdf.view.setFocus()
    qtbot.waitUntil(pdf.view.hasFocus, timeout=10_000)
    qtbot.keyClick(pdf.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert pressed == [True]  # in the lesson, the key is the next lesson's
    pdf.page_box.setFocus()
    qtbot.waitUntil(pdf.page_box.hasFocus, timeout=10_000)
    qtbot.keyClick(pdf.page_box, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert pressed == [True]  # in a text field, it moves by a word as usual


def test_the_quiz_announces_its_verdict_and_moves_focus(
    qtbot: QtBot, open_lesson: OpenLesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz_samples import QUIZ

    announced: list[str] = []
    real_update = QAccessible.updateAccessibility

    def record(event: QAccessibleEvent) -> None:
        if event.type() == QAccessible.Event.Announcement:
            announced.append(event.message())  # type: ignore[attr-defined]
        real_update(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    player = open_lesson(content("quiz", quiz=QUIZ))
    page = page_of(player, QuizPage)
    activate(qtbot, player)
    for question_id, choices in WRONG.items():
        page.select(question_id, choices)
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    assert announced == [page.summary.text()]
    assert announced[0].startswith("Not passed yet: 0 of 2 right")
    assert page.boxes[0].accessibleDescription().startswith("✗ Not quite.")
    qtbot.waitUntil(page.retry.hasFocus, timeout=10_000)
    qtbot.keyClick(page.retry, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.boxes[0].buttons()[0].hasFocus(), timeout=10_000)


def test_tab_reaches_every_control_of_the_player_by_name(
    qtbot: QtBot, open_lesson: OpenLesson, audio_lesson: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_lesson))
    page = page_of(player, MediaPage)
    activate(qtbot, player)
    qtbot.waitUntil(page.controls.play.hasFocus, timeout=10_000)
    names = []
    for _ in range(7):
        focused = QApplication.focusWidget()
        assert focused is not None
        names.append(focused.accessibleName() or getattr(focused, "text", lambda: "")())
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    # In reading order from Play: the buttons' line, then round to the transcript and the
    # position's line above them.
    assert names == [
        "Play", "Playback speed", "Volume", "Captions", "Transcript", "Seek", "Play"
    ]  # fmt: skip


def test_up_and_down_move_in_the_transcript_and_enter_plays_from_the_line(
    qtbot: QtBot, open_lesson: OpenLesson, audio_lesson: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_lesson))
    page = page_of(player, MediaPage)
    transcript = page.transcript
    assert transcript is not None
    activate(qtbot, player)
    qtbot.waitUntil(lambda: page.player.duration() > 0, timeout=15_000)
    transcript.setFocus()
    qtbot.waitUntil(transcript.hasFocus, timeout=10_000)
    volume = page.audio.volume()
    transcript.setCurrentRow(0)
    qtbot.keyClick(transcript, Qt.Key.Key_Down)
    assert transcript.currentRow() == 1
    assert page.audio.volume() == pytest.approx(volume)  # not the volume key here
    qtbot.keyClick(transcript, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.player.position() >= 1_900, timeout=10_000)
    assert page.position() == pytest.approx(2.0, abs=0.1)
