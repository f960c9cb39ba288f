"""The lesson player: one lesson, the right page for its kind, progress into the recorder."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut, QShowEvent
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.catalog.rows import LessonRow
from desktop_app.downloads import LessonFiles
from desktop_app.progress import LessonRecorder
from desktop_app.progress.quiz_scoring import Quiz, QuizFormatError, parse_quiz
from desktop_app.text import translate
from desktop_app.views.i18n import localized
from desktop_app.views.player.after import NEXT_LESSON_KEY, AfterLesson, CourseLookup
from desktop_app.views.player.content import completion_rule
from desktop_app.views.player.header import LessonHeader
from desktop_app.views.player.media import MediaPage
from desktop_app.views.player.pdf import PdfPage
from desktop_app.views.player.quiz import QuizPage
from desktop_app.views.player.reading import ReadingPage, UrlOpener
from desktop_app.views.player.scaled_label import ScaledLabel

log = logging.getLogger(__name__)

NOT_DOWNLOADED = translate(
    "LessonPlayer",
    "This lesson is not downloaded yet — download the course to study it offline.",
)
NO_QUIZ = translate("LessonPlayer", "This quiz cannot be shown: {reason}")
NO_QUESTIONS = translate("LessonPlayer", "it has no questions.")
UNKNOWN_KIND = translate(
    "LessonPlayer", "This kind of lesson ({kind}) cannot be shown by this version of Rounds."
)
NOTICE_SCALE = 1.2


def open_in_browser(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


class LessonPlayer(QWidget):
    """Plays one lesson from local files and records what the learner does.

    Signals:
    progress_changed(float): how far through the lesson the learner is (0…1).
    completed(): the lesson became completed while open.
    quiz_scored(float, bool): a quiz attempt was scored (score 0…1, passed).
    next_lesson_requested(LessonRow): the learner asked for the next lesson of the course.
    course_requested(): the learner asked to go back to the course (from the panel that
        marks its completion).

    The owner calls `close_lesson()` (closing the widget does it too) when the learner leaves.
    """

    progress_changed = Signal(float)
    completed = Signal()
    quiz_scored = Signal(float, bool)
    next_lesson_requested = Signal(LessonRow)
    course_requested = Signal()

    def __init__(
        self,
        content: LessonFiles,
        recorder: LessonRecorder,
        parent: QWidget | None = None,
        *,
        open_url: UrlOpener = open_in_browser,
        video_output: Callable[[], QVideoWidget] | None = None,
        course_of: CourseLookup | None = None,
    ) -> None:
        """`video_output` gives the video widget a video lesson plays into (the lesson page
        keeps one for all of them); without it the video page makes its own. `course_of`
        gives the lesson's course in order: with it the player offers the next lesson and
        marks the course's completion."""
        super().__init__(parent)
        self.content, self.recorder = content, recorder
        self._open_url, self._closed = open_url, False
        self._video_output = video_output
        self._done = recorder.completed
        quiz, quiz_error = self._read_quiz()
        pass_mark = quiz.pass_mark if quiz else None
        self.header = LessonHeader(
            content.ref.title, content.ref.kind, completion_rule(content.ref.kind, pass_mark)
        )
        self.header.set_completed(self._done)
        self.page = self._make_page(quiz, quiz_error)
        self.after = AfterLesson(content.ref, course_of)
        self.after.next_requested.connect(self.next_lesson_requested)
        self.after.back_requested.connect(self.course_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.after.completion_place)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.after)
        next_key = QShortcut(QKeySequence(NEXT_LESSON_KEY), self)
        next_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        next_key.activated.connect(self.after.request_next)
        self._focused = False
        recorder.opened()

    def focus_lesson(self) -> None:
        """Keyboard focus to the lesson itself (the play button, the text, the pages, the
        first answer), where its keys work."""
        self._focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_target(self) -> QWidget:
        page = self.page
        if isinstance(page, MediaPage):
            return page.controls.play
        if isinstance(page, ReadingPage):
            return page.browser
        if isinstance(page, PdfPage):
            return page.view
        if isinstance(page, QuizPage):
            return page.first_answer() or page
        return page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._focused:
            self._focused = True
            self.focus_lesson()

    @property
    def is_completed(self) -> bool:
        return self._done

    def close_lesson(self) -> None:
        """Stop playback, save where the learner is, and tell the recorder (once)."""
        if self._closed:
            return
        if isinstance(self.page, MediaPage):
            self.page.stop()  # reports the position it stopped at
        self._closed = True
        self.recorder.closed()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_lesson()
        super().closeEvent(event)

    def _read_quiz(self) -> tuple[Quiz | None, str]:
        if self.content.ref.kind != "quiz":
            return None, ""
        if self.content.quiz is None:
            return None, NO_QUESTIONS.format()
        try:
            return parse_quiz(self.content.quiz), ""
        except QuizFormatError as error:
            log.warning("Quiz %s: %s", self.content.ref.lesson_id, error)
            reason = error.args[0] if error.args else None
            return None, reason if isinstance(reason, str) else str(error)  # a Message

    def _make_page(self, quiz: Quiz | None, quiz_error: str) -> QWidget:
        kind = self.content.ref.kind
        if self.content.missing_required:
            return self._notice(NOT_DOWNLOADED)
        if kind == "quiz":
            if quiz is None:
                return self._notice(NO_QUIZ.format(reason=quiz_error))
            return self._quiz_page(quiz)
        page = self._study_page(kind)
        if page is None:
            return self._notice(UNKNOWN_KIND.format(kind=kind))
        page.progressed.connect(self._on_progress)
        page.finished.connect(self._on_finished)
        return page

    def _study_page(self, kind: str) -> MediaPage | ReadingPage | PdfPage | None:
        files, resume = self.content.files, self.recorder.resume_position
        if kind in ("video", "audio"):
            captions = self.content.optional_file("captions")
            output = self._video_output() if self._video_output and kind == "video" else None
            video, title = kind == "video", self.content.ref.title
            media = files.get("media") or QUrl(self.content.streams.get("media", ""))
            return MediaPage(
                media, captions, video=video, title=title, resume=resume,
                video_output=output,
            )  # fmt: skip
        if kind == "reading":
            images = self.content.images
            return ReadingPage(files["body"], images, open_url=self._open_url, resume=resume)
        if kind == "pdf":
            return PdfPage(files["document"], resume=resume)
        return None

    def _quiz_page(self, quiz: Quiz) -> QuizPage:
        page = QuizPage(quiz)
        page.scored.connect(self._on_scored)
        return page

    def _notice(self, text: str) -> QLabel:
        notice = ScaledLabel(localized(text), scale=NOTICE_SCALE)
        notice.setWordWrap(True)
        notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        notice.setMargin(24)
        return notice

    def _on_progress(self, position: float, share: float) -> None:
        if not self._closed:
            self.recorder.progressed(position, share)
            self.progress_changed.emit(share)

    def _on_finished(self) -> None:
        if not self._closed:
            self.recorder.complete()
            self._mark_done()

    def _on_scored(self, score: float, passed: bool, answers: dict[str, list[str]]) -> None:
        quiz = self.page.quiz if isinstance(self.page, QuizPage) else None
        self.recorder.quiz_scored(score, passed, answers, quiz)
        self.quiz_scored.emit(score, passed)
        if passed:
            self.progress_changed.emit(1.0)
            self._mark_done()

    def _mark_done(self) -> None:
        if not self._done:
            self._done = True
            self.header.set_completed(True)
            self.completed.emit()
            self.after.lesson_completed()
