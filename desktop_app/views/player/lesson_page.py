"""The page that hosts one open lesson, with a way back to its course."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.catalog.library import LessonRow
from desktop_app.downloads import LessonFiles
from desktop_app.gui.heap import return_freed_memory
from desktop_app.progress import LessonRecorder, LessonRef
from desktop_app.views.player import LessonPlayer
from desktop_app.views.player.after import CourseLookup

ContentLoader = Callable[[str], LessonFiles | None]
RecorderFactory = Callable[[LessonRef], LessonRecorder]


class LessonPage(QWidget):
    """Signals:
    back_requested(str): the learner left the lesson (the course id to return to).
    lesson_changed(str): the open lesson recorded progress or completion (its course id).
    """

    back_requested = Signal(str)
    lesson_changed = Signal(str)

    def __init__(
        self,
        load_content: ContentLoader,
        recorder_for: RecorderFactory,
        parent: QWidget | None = None,
        *,
        course_of: CourseLookup | None = None,
    ) -> None:
        """`course_of` (`Library.course`) lets a lesson offer the next one of its course."""
        super().__init__(parent)
        self._load, self._recorder_for = load_content, recorder_for
        self._course_of = course_of
        self.player: LessonPlayer | None = None
        self._video: QVideoWidget | None = None  # one for every video lesson: MediaPage.stop
        self._course_id = ""
        self.back = QPushButton("← Back to course")
        self.back.clicked.connect(self.leave)
        self.message = QLabel(wordWrap=True)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(top)
        self._layout.addWidget(self.message)

    def open_lesson(self, lesson: LessonRow) -> bool:
        """Show `lesson`; False (with a message) if it is no longer in the cache."""
        self.close_lesson()
        self._course_id = lesson.course_id
        content = self._load(lesson.id)
        if content is None:
            self.message.setText("This lesson is no longer in the catalog. Sync to refresh it.")
            return False
        self.message.clear()
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
        return True

    def close_lesson(self) -> None:
        """Save where the learner is and take the player down."""
        if self.player is None:
            return
        self.player.close_lesson()
        if self._video is not None:
            self._video.setParent(self)  # out of the closed player's layout, kept and hidden
        self._layout.removeWidget(self.player)
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
