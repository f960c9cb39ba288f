"""Opening a downloaded lesson: from the click to the first video frame, PDF page or reading.

The sample media (resources/curriculum/media) are copied into a fresh content store under their
SHA-256 and the lessons' rows put into a fresh cache, as a download leaves them. Each opening is
what the app does when the learner picks a lesson: `LessonPage.open_lesson` reads the
`LessonFiles` from the cache and the store (`lesson_files`), takes a recorder from
the progress log and creates the `LessonPlayer` in a shown window (offscreen platform). The
clock stops when:

- video: the learner presses Play at once (the player shows no picture before Play) and the
  first decoded frame reaches the QVideoWidget's video sink; the window is then painted once;
- PDF: QPdfView's renderer has rendered page 1 and the window is painted once with it;
- reading: the window, with the laid-out reading, is painted once (`grab()`).

Each kind is opened `OPENINGS` times in a row in this process. Each kind has two figures: the
first opening alone (cold: codec, PDF engine and text layout start-up) and the median of the
warm ones after it. The window itself is shown and painted before the first opening, as the
app's window is.

Memory: the resident set just before each video opening and just after its closing (the closed
player deleted, events processed). The cold figure is the first video's private growth (RssAnon:
what the process holds, the video widget the page keeps for later videos included); its note
gives the resident growth, most of which is the code of the FFmpeg and Qt Quick libraries the
first video loads, mapped from their files and shared. The warm figure is the median resident
growth of the later openings, and the note gives the growth over all of them.
A run that takes longer than `HANG_SECONDS` is a hang: faulthandler prints every thread's stack
and ends the process (its watchdog is a C thread, so it fires even when a deadlocked thread
holds the interpreter lock).
"""

from __future__ import annotations

import faulthandler
import hashlib
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QLoggingCategory,
    QObject,
    QTimer,
    Slot,
)
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtPdf import QPdfPageRenderer
from PySide6.QtWidgets import QApplication

from benchmarks.table import Figure
from desktop_app.catalog.library import DOWNLOADED, LessonRow
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import lesson_files
from desktop_app.models import Asset, Course, Lesson, LessonAsset, Module
from desktop_app.progress import Actor, ProgressLog, activity_base_for
from desktop_app.views.player.lesson_page import LessonPage
from desktop_app.views.player.media import MediaPage

OPENINGS = 5
LIMIT_MS = 300.0
MEMORY_MB = 5.0
WAIT_MS = 10_000
HANG_SECONDS = 120
WINDOW = (1024, 768)
SERVER = "https://rounds.example"
COURSE_ID, MODULE_ID = "c-bench-open", "m-bench-open"
MEDIA = Path(__file__).resolve().parents[1] / "resources" / "curriculum" / "media"


@dataclass(frozen=True)
class SampleLesson:
    """One lesson of the sample curriculum: (role, file name, language) of each of its files."""

    id: str
    kind: str
    title: str
    files: tuple[tuple[str, str, str], ...]


LESSONS = (
    SampleLesson(
        "l-bench-video",
        "video",
        "Welcome (video, 8 s)",
        (
            ("media", "foundations-welcome.mp4", ""),
            ("captions", "foundations-welcome.en.vtt", "en"),
        ),
    ),
    SampleLesson(
        "l-bench-pdf",
        "pdf",
        "Plain-language checklist (PDF)",
        (("document", "foundations-plain-language-checklist.pdf", ""),),
    ),
    SampleLesson(
        "l-bench-reading",
        "reading",
        "The platform landscape (reading with a figure)",
        (
            ("body", "foundations-platform-landscape.md", ""),
            ("image", "foundations-platforms.png", ""),
        ),
    ),
)


# --- a downloaded course: files in the store, rows in the cache ----------------------------


def _store_file(store: ContentStore, source: Path) -> tuple[str, int]:
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    target = store.path_for(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return sha256, source.stat().st_size


def install_lessons(db: Database, store: ContentStore) -> None:
    """The sample lessons as a finished download leaves them: verified files and cache rows."""
    with db.session() as session:
        session.add(Course(id=COURSE_ID, title="Lesson opening"))
        session.add(Module(id=MODULE_ID, course_id=COURSE_ID, title="Module 1"))
        for position, lesson in enumerate(LESSONS):
            session.add(
                Lesson(
                    id=lesson.id,
                    module_id=MODULE_ID,
                    course_id=COURSE_ID,
                    title=lesson.title,
                    kind=lesson.kind,
                    position=position,
                )
            )
            for role, name, language in lesson.files:
                sha256, size = _store_file(store, MEDIA / name)
                if session.get(Asset, sha256) is None:
                    session.add(Asset(sha256=sha256, size=size, mime_type="x/y"))
                session.add(
                    LessonAsset(
                        lesson_id=lesson.id, sha256=sha256, role=role, name=name, language=language
                    )
                )
            session.flush()


def lesson_row(lesson: SampleLesson) -> LessonRow:
    return LessonRow(
        lesson.id, COURSE_ID, MODULE_ID, lesson.title, lesson.kind, "", 0, 0, 0, DOWNLOADED
    )


# --- waiting for the first picture ---------------------------------------------------------


class FirstSignal(QObject):
    """Quits a local event loop at the first call of `hit` (or when the wait runs out)."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = QEventLoop()
        self.seen = False

    @Slot()
    def hit(self) -> None:
        if not self.seen:
            self.seen = True
            self.loop.quit()

    def wait(self, what: str) -> None:
        if not self.seen:
            QTimer.singleShot(WAIT_MS, self.loop.quit)
            self.loop.exec()
        if not self.seen:
            raise RuntimeError(f"no {what} within {WAIT_MS} ms")


def _first_frame(page: LessonPage) -> None:
    media = page.player.page if page.player is not None else None
    if not isinstance(media, MediaPage) or not isinstance(media.picture, QVideoWidget):
        raise RuntimeError("the video lesson did not open a video page")
    waiter = FirstSignal()
    media.picture.videoSink().videoFrameChanged.connect(waiter.hit)
    media.play()
    waiter.wait("video frame")


def _first_pdf_page(page: LessonPage) -> None:
    renderer = page.player.findChild(QPdfPageRenderer) if page.player is not None else None
    if renderer is None:
        raise RuntimeError("the PDF lesson did not open a PDF view")
    waiter = FirstSignal()
    renderer.pageRendered.connect(lambda number, *_: waiter.hit() if number == 0 else None)
    waiter.wait("rendered PDF page")


def _nothing_to_wait_for(_page: LessonPage) -> None:
    return None


READY: dict[str, Callable[[LessonPage], None]] = {
    "video": _first_frame,
    "pdf": _first_pdf_page,
    "reading": _nothing_to_wait_for,
}


# --- the openings --------------------------------------------------------------------------


def open_once(page: LessonPage, lesson: SampleLesson) -> float:
    """Milliseconds from `open_lesson` to the window painted with the lesson's first picture."""
    started = time.perf_counter()
    if not page.open_lesson(lesson_row(lesson)):
        raise RuntimeError(f"{lesson.id} is not in the cache")
    READY[lesson.kind](page)
    QApplication.processEvents()
    page.grab()
    elapsed = (time.perf_counter() - started) * 1000
    if page.player is None or page.player.content.missing:
        raise RuntimeError(f"{lesson.id} opened without all its files")
    page.close_lesson()
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return elapsed


@dataclass
class Measured:
    """Milliseconds of each opening, by kind; resident MB around each video opening."""

    times: dict[str, list[float]]
    video_memory: list[tuple[float, float, float]]  # before opening, after closing, private


def resident_mb() -> float:
    return float(psutil.Process().memory_info().rss) / 1e6


def private_mb() -> float:
    """The anonymous (private) part of the resident set, without the libraries' mapped code."""
    status = Path("/proc/self/status")
    if not status.exists():
        return float("nan")
    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
    return int(fields["RssAnon"].split()[0]) / 1e3


def open_video_measured(
    page: LessonPage, lesson: SampleLesson, memory: list[tuple[float, float, float]]
) -> float:
    before, private = resident_mb(), private_mb()
    elapsed = open_once(page, lesson)
    QApplication.processEvents()
    memory.append((before, resident_mb(), private_mb() - private))
    return elapsed


def measure(folder: Path) -> Measured:
    db = Database(folder / "cache.sqlite3")
    store = ContentStore(folder / "content")
    install_lessons(db, store)
    progress = ProgressLog(db, Actor(SERVER, "ana", "Ana"), activity_base_for(SERVER))
    page = LessonPage(lambda lesson_id: lesson_files(db, store, lesson_id),
                      progress.recorder_for)  # fmt: skip
    page.resize(*WINDOW)
    page.show()
    QApplication.processEvents()
    page.grab()
    memory: list[tuple[float, float, float]] = []
    try:
        times = {
            lesson.kind: [
                open_video_measured(page, lesson, memory)
                if lesson.kind == "video"
                else open_once(page, lesson)
                for _ in range(OPENINGS)
            ]
            for lesson in LESSONS
        }
        return Measured(times, memory)
    finally:
        page.close()
        page.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.close()


def run() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication.instance() or QApplication([])
    QLoggingCategory.setFilterRules("qt.multimedia*=false")  # FFmpeg's report of each file
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        with tempfile.TemporaryDirectory(prefix="rounds-bench-open-") as folder:
            measured = measure(Path(folder))
    finally:
        faulthandler.cancel_dump_traceback_later()
    figures = [f for lesson in LESSONS for f in _figures(lesson, measured.times[lesson.kind])]
    return figures + _memory_figures(measured.video_memory)


WHAT = {
    "video": "first video frame (Play pressed on opening)",
    "pdf": "first PDF page rendered and painted",
    "reading": "reading laid out and painted",
}


def _figures(lesson: SampleLesson, times: list[float]) -> list[Figure]:
    files = ", ".join(name for _role, name, _language in lesson.files)
    warm = times[1:]
    return [
        Figure(f"open lesson, first (cold) → {WHAT[lesson.kind]}", times[0], LIMIT_MS, "ms",
               1.0, note=f"the first opening in this process; {files}"),
        Figure(f"open lesson, warm → {WHAT[lesson.kind]}", statistics.median(warm), LIMIT_MS,
               "ms", 1.0, note=f"median of the {len(warm)} openings after the first "
                               f"({', '.join(f'{t:.0f}' for t in warm)} ms); {files}"),
    ]  # fmt: skip


def _memory_figures(memory: list[tuple[float, float, float]]) -> list[Figure]:
    growth = [after - before for before, after, _private in memory]
    private = [growth for _before, _after, growth in memory]
    overall = memory[-1][1] - memory[0][0]
    return [
        Figure("private memory after closing the first (cold) video lesson", private[0],
               MEMORY_MB, "MB", 1.0,
               note="anonymous resident memory after closing vs before opening, the video widget "
                    "kept for later included; the resident set grew "
                    f"{growth[0]:+.1f} MB, the rest being the code of the libraries loaded "
                    "(FFmpeg, and Qt Quick and QML, which Qt's FFmpeg plugin links): mapped from "
                    "their files, shared, and reclaimed by the kernel when memory is short"),
        Figure("memory after closing a video lesson (warm)", statistics.median(growth[1:]),
               MEMORY_MB, "MB", 1.0,
               note=f"median of {len(growth) - 1} openings after the first "
                    f"({', '.join(f'{g:+.1f}' for g in growth[1:])} MB); over all "
                    f"{len(growth)} openings {overall:+.1f} MB; private memory of each "
                    f"({', '.join(f'{g:+.1f}' for g in private[1:])} MB)"),
    ]  # fmt: skip
