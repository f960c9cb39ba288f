"""The page that hosts one open lesson, with a way back to its course.

A lesson that is not downloaded is opened from the server when it can be (`online`, off the
UI thread): its media streams, a reading or PDF is fetched into the content store. Offline,
the page says so in one sentence and offers the download. No player is made, and so nothing
is recorded, until the lesson can be studied.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.catalog.library import LessonRow
from desktop_app.downloads import LessonFiles
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.heap import return_freed_memory
from desktop_app.progress import LessonRecorder, LessonRef
from desktop_app.views.player import LessonPlayer
from desktop_app.views.player.after import CourseLookup
from desktop_app.views.player.not_downloaded import NotDownloadedBar

ContentLoader = Callable[[str], LessonFiles | None]
OnlineOpener = Callable[[str], LessonFiles | None]
RecorderFactory = Callable[[LessonRef], LessonRecorder]


class LessonPage(QWidget):
    """Signals:
    back_requested(str): the learner left the lesson (the course id to return to).
    lesson_changed(str): the open lesson recorded progress or completion (its course id).
    download_requested(str): the learner asked to download the open lesson (its id).
    """

    back_requested = Signal(str)
    lesson_changed = Signal(str)
    download_requested = Signal(str)

    def __init__(
        self,
        load_content: ContentLoader,
        recorder_for: RecorderFactory,
        parent: QWidget | None = None,
        *,
        course_of: CourseLookup | None = None,
        online: OnlineOpener | None = None,
        runner: BackgroundRunner | None = None,
    ) -> None:
        """`course_of` (`Library.course`) lets a lesson offer the next one of its course;
        `online` (`OnlineLessons.open`, run by `runner`) opens a lesson not downloaded."""
        super().__init__(parent)
        self._load, self._recorder_for = load_content, recorder_for
        self._course_of = course_of
        self._online, self._runner = online, runner
        self._lesson_id = ""
        self.player: LessonPlayer | None = None
        self._video: QVideoWidget | None = None  # one for every video lesson: MediaPage.stop
        self._course_id = ""
        self.back = QPushButton(self.tr("← Back to course"))
        self.back.clicked.connect(self.leave)
        self.message = QLabel(wordWrap=True)
        self.message.hide()  # shown with a message only
        self.away = NotDownloadedBar()
        self.away.download_requested.connect(lambda: self.download_requested.emit(self._lesson_id))
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(top)
        self._layout.addWidget(self.message)
        self._layout.addWidget(self.away)
        self._filler = QWidget()  # takes the height while no player is shown
        self._layout.addWidget(self._filler, 1)

    def open_lesson(self, lesson: LessonRow) -> bool:
        """Show `lesson`; False (with a message) if it is no longer in the cache."""
        self.close_lesson()
        self._course_id, self._lesson_id = lesson.course_id, lesson.id
        self.away.hide()
        content = self._load(lesson.id)
        if content is None:
            self.message.setText(
                self.tr("This lesson is no longer in the catalog. Sync to refresh it.")
            )
            self.message.show()
            return False
        self.message.clear()
        self.message.hide()
        if content.missing_required and self._online is not None and self._runner is not None:
            self._open_online(lesson, self._online, self._runner)
        else:
            self._play(content)
        return True

    def _open_online(
        self, lesson: LessonRow, online: OnlineOpener, runner: BackgroundRunner
    ) -> None:
        self.away.opening(lesson.title)
        runner.run(
            lambda: online(lesson.id),
            lambda content: self._opened_online(lesson.id, content),
            lambda error: self._not_opened(lesson.id, error),
            serial=False,
        )

    def _opened_online(self, lesson_id: str, content: LessonFiles | None) -> None:
        if lesson_id != self._lesson_id or self.player is not None:
            return  # the learner has moved on
        if content is None:
            self.away.hide()
            self.message.setText(
                self.tr("This lesson is no longer in the catalog. Sync to refresh it.")
            )
            self.message.show()
            return
        if content.streams:
            self.away.streaming()
        else:
            self.away.hide()  # fetched into the store: studied like a downloaded lesson
        self._play(content)

    def _not_opened(self, lesson_id: str, error: Exception) -> None:
        if lesson_id == self._lesson_id and self.player is None:
            self.away.failed(error)

    def lesson_download_queued(self, lesson_id: str) -> None:
        """The open lesson's files were queued for download."""
        if lesson_id == self._lesson_id and self.away.isVisible():
            self.away.queued()

    def _play(self, content: LessonFiles) -> None:
        self._filler.hide()
        self.player = LessonPlayer(
            content,
            self._recorder_for(content.ref),
            video_output=self.video_widget,
            course_of=self._course_of,
        )
        self.player.completed.connect(lambda: self.lesson_changed.emit(self._course_id))
        self.player.next_lesson_requested.connect(self.open_lesson)
        self.player.course_requested.connect(self.leave)
        self._layout.addWidget(self.player, 1)

    def close_lesson(self) -> None:
        """Save where the learner is and take the player down."""
        self._lesson_id = ""  # a lesson still opening from the server is not shown
        if self.player is None:
            return
        self.player.close_lesson()
        if self._video is not None:
            self._video.setParent(self)  # out of the closed player's layout, kept and hidden
        self._layout.removeWidget(self.player)
        self._filler.show()
        self.player.destroyed.connect(return_freed_memory)
        self.player.deleteLater()
        self.player = None
        self.lesson_changed.emit(self._course_id)

    def video_widget(self) -> QVideoWidget:
        """The video widget every video lesson of this page plays into, made on first use."""
        if self._video is None:
            self._video = QVideoWidget(self)
            self._video.hide()
        return self._video

    def leave(self) -> None:
        self.close_lesson()
        self.back_requested.emit(self._course_id)
