"""Video and audio lessons: playing to the end, captions, keyboard, resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from player_samples import HEADLESS_NOISE, SAMPLE_MEDIA, OpenLesson, content, write_vtt, write_wav
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from desktop_app.progress import ProgressLog
from desktop_app.views.player.captions import CaptionTrack, Cue
from desktop_app.views.player.media import MediaPage

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
SAMPLE_VIDEO = SAMPLE_MEDIA / "foundations-welcome.mp4"
SAMPLE_VIDEO_CAPTIONS = SAMPLE_MEDIA / "foundations-welcome.en.vtt"
CUES = [(0.0, 2.0, "First words"), (2.0, 4.0, "Second thought"), (5.0, 6.0, "Last line")]
PLAYING = QMediaPlayer.PlaybackState.PlayingState


@pytest.fixture
def audio_files(tmp_path: Path) -> dict[str, Path]:
    return {
        "media": write_wav(tmp_path / "talk.wav", seconds=6.0),
        "captions": write_vtt(tmp_path / "talk.en.vtt", CUES),
    }


def media_page(player: object) -> MediaPage:
    page = getattr(player, "page", None)
    assert isinstance(page, MediaPage)
    return page


def wait_loaded(qtbot: QtBot, page: MediaPage) -> None:
    qtbot.waitUntil(lambda: page.player.duration() > 0, timeout=15_000)


def test_audio_played_to_the_end_completes_the_lesson(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog, audio_files: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_files))
    page = media_page(player)
    assert player.header.rule.text() == "Audio · Complete when 90% has been played"
    assert not player.is_completed
    with qtbot.waitSignal(player.completed, timeout=20_000):
        page.set_speed(8.0)
        page.play()
    assert progress_log.lesson_state("l-audio").completed
    assert player.header.state.text() == "✓ Completed"


@pytest.mark.skipif(not SAMPLE_VIDEO.is_file(), reason="the sample curriculum video is absent")
def test_video_played_to_the_end_completes_the_lesson(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog
) -> None:
    files = {"media": SAMPLE_VIDEO, "captions": SAMPLE_VIDEO_CAPTIONS}
    player = open_lesson(content("video", files))
    page = media_page(player)
    page.set_speed(8.0)
    page.play()
    qtbot.waitUntil(
        lambda: page.player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia, timeout=20_000
    )
    assert page.caption.isVisible()
    assert progress_log.lesson_state("l-video").completed
    assert player.is_completed


@pytest.mark.skipif(not SAMPLE_VIDEO.is_file(), reason="the sample curriculum video is absent")
def test_a_video_shows_its_first_frame_before_play(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog
) -> None:
    player = open_lesson(content("video", {"media": SAMPLE_VIDEO}))
    page = media_page(player)
    sink = page.picture.videoSink()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: sink.videoFrame().isValid(), timeout=15_000)
    assert page.player.playbackState() == QMediaPlayer.PlaybackState.PausedState
    assert page.player.position() == 0
    assert not progress_log.lesson_state("l-video").completed


def test_jumping_near_the_end_does_not_count_as_played(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog, audio_files: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_files))
    page = media_page(player)
    wait_loaded(qtbot, page)
    page.seek(5.6)  # past 90%, while paused
    qtbot.waitUntil(lambda: page.position() >= 5.5, timeout=10_000)
    assert page.coverage.seconds() == 0
    assert not progress_log.lesson_state("l-audio").completed


def test_captions_show_the_cue_for_the_playback_time_and_toggle(
    qtbot: QtBot, open_lesson: OpenLesson, audio_files: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_files))
    page = media_page(player)
    wait_loaded(qtbot, page)
    assert page.caption.isVisible()
    page.seek(2.5)
    qtbot.waitUntil(lambda: page.caption.text() == "Second thought", timeout=10_000)
    page.seek(4.5)  # between cues
    qtbot.waitUntil(lambda: page.caption.text() == "", timeout=10_000)
    page.seek(0.5)
    qtbot.waitUntil(lambda: page.caption.text() == "First words", timeout=10_000)

    qtbot.mouseClick(page.controls.captions, Qt.MouseButton.LeftButton)
    assert not page.caption.isVisible()
    qtbot.mouseClick(page.controls.captions, Qt.MouseButton.LeftButton)
    assert page.caption.isVisible()


def test_keyboard_controls_play_seek_volume_and_captions(
    qtbot: QtBot, open_lesson: OpenLesson, audio_files: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_files))
    page = media_page(player)
    player.activateWindow()
    qtbot.waitUntil(player.isActiveWindow, timeout=10_000)
    wait_loaded(qtbot, page)

    qtbot.keyClick(page, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: page.position() >= 4.9, timeout=10_000)
    qtbot.keyClick(page, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: page.position() <= 0.1, timeout=10_000)
    volume = page.audio.volume()
    qtbot.keyClick(page, Qt.Key.Key_Down)
    assert page.audio.volume() == pytest.approx(volume - 0.1)
    assert page.controls.volume.value() == round((volume - 0.1) * 100)
    qtbot.keyClick(page, Qt.Key.Key_Up)
    assert page.audio.volume() == pytest.approx(volume)
    qtbot.keyClick(page, Qt.Key.Key_C)
    assert not page.caption.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_C)
    assert page.caption.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.player.playbackState() == PLAYING, timeout=10_000)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.player.playbackState() != PLAYING, timeout=10_000)


def test_steps_pressed_faster_than_the_player_moves_add_up(
    qtbot: QtBot, open_lesson: OpenLesson, tmp_path: Path
) -> None:
    player = open_lesson(content("audio", {"media": write_wav(tmp_path / "long.wav", 26.0)}))
    page = media_page(player)
    player.activateWindow()
    qtbot.waitUntil(player.isActiveWindow, timeout=10_000)
    wait_loaded(qtbot, page)

    qtbot.keyClick(page, Qt.Key.Key_Right)
    qtbot.keyClick(page, Qt.Key.Key_Right)  # before the event loop has moved the player

    qtbot.waitUntil(lambda: page.player.position() >= 19_900, timeout=10_000)
    assert page.position() == pytest.approx(20.0, abs=0.1)  # two steps of 10 seconds
    assert page.controls.position.value() == pytest.approx(20_000, abs=100)


def test_playback_speed_is_chosen_from_the_list(
    qtbot: QtBot, open_lesson: OpenLesson, audio_files: dict[str, Path]
) -> None:
    player = open_lesson(content("audio", audio_files))
    page = media_page(player)
    speeds = [page.controls.speed.itemData(i) for i in range(page.controls.speed.count())]
    assert speeds == [0.75, 1.0, 1.25, 1.5, 2.0]
    page.controls.speed.setCurrentIndex(3)
    page.controls.speed.activated.emit(3)
    assert page.player.playbackRate() == 1.5


def test_media_resumes_where_the_learner_left_off(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog, audio_files: dict[str, Path]
) -> None:
    lesson = content("audio", audio_files)
    first = open_lesson(lesson)
    page = media_page(first)
    wait_loaded(qtbot, page)
    page.seek(3.0)
    qtbot.waitUntil(lambda: page.position() >= 2.9, timeout=10_000)
    first.close()
    assert progress_log.lesson_state("l-audio").resume_position == pytest.approx(3.0, abs=0.2)

    second = open_lesson(lesson)
    again = media_page(second)
    qtbot.waitUntil(lambda: again.position() >= 2.9, timeout=15_000)
    assert again.position() == pytest.approx(3.0, abs=0.2)
    second.close()
    third = open_lesson(lesson)  # closed at once, perhaps before it loaded: the place is kept
    third.close()
    assert progress_log.lesson_state("l-audio").resume_position == pytest.approx(3.0, abs=0.2)


def test_caption_track_finds_the_cue_at_a_time(tmp_path: Path) -> None:
    track = CaptionTrack.read(write_vtt(tmp_path / "c.vtt", CUES))
    assert track is not None
    assert [track.text_at(t) for t in (0.0, 1.99, 2.0, 4.2, 5.5, 9.0)] == [
        "First words",
        "First words",
        "Second thought",
        "",
        "Last line",
        "",
    ]
    overlapping = CaptionTrack([Cue(0, 10, "long"), Cue(2, 3, "short")])
    assert [overlapping.text_at(t) for t in (1, 2.5, 4)] == ["long", "short", "long"]


@pytest.mark.expect_log("desktop_app.views.player.captions", "could not be read")
def test_unreadable_captions_leave_the_lesson_playable(
    qtbot: QtBot, open_lesson: OpenLesson, audio_files: dict[str, Path]
) -> None:
    audio_files["captions"].write_text("not a caption file", encoding="utf-8")
    with qtbot.captureExceptions() as errors:
        player = open_lesson(content("audio", audio_files))
    assert not errors
    page = media_page(player)
    assert page.track is None
    assert not page.controls.captions.isEnabled()
    assert not page.caption.isVisible()


def test_a_damaged_media_file_says_so(
    qtbot: QtBot, open_lesson: OpenLesson, tmp_path: Path
) -> None:
    damaged = tmp_path / "talk.wav"
    damaged.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really audio")
    player = open_lesson(content("audio", {"media": damaged}))
    page = media_page(player)
    qtbot.waitUntil(page.error.isVisible, timeout=15_000)
    assert page.error.text().startswith("This media file could not be played")
    assert not player.is_completed
