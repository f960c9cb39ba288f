"""Small lesson files made at test time: WAV (stdlib wave), PDF (QPdfWriter), PNG (QImage)."""

from __future__ import annotations

import math
import wave
from array import array
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QImage, QPageSize, QPainter, QPdfWriter

from desktop_app.downloads import LessonFiles
from desktop_app.progress import LessonRef
from desktop_app.views.player import LessonPlayer

# What a headless machine (offscreen windows, no sound card, no GPU) makes Qt say, harmlessly.
HEADLESS_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",
    r"PulseAudioService: pa_context_connect\(\) failed",
    r"No audio device detected",
    r".*No RHI backend.*",
)
OpenLesson = Callable[..., LessonPlayer]
REPO = Path(__file__).resolve().parents[2]
SAMPLE_MEDIA = REPO / "resources" / "curriculum" / "media"


def ref(kind: str, lesson_id: str | None = None) -> LessonRef:
    return LessonRef(lesson_id or f"l-{kind}", "c-test", f"Sample {kind} lesson", kind)


def content(
    kind: str,
    files: dict[str, Path] | None = None,
    *,
    images: dict[str, Path] | None = None,
    quiz: dict[str, object] | None = None,
    missing: tuple[str, ...] = (),
) -> LessonFiles:
    return LessonFiles(ref(kind), files or {}, images or {}, quiz, missing)


def write_wav(path: Path, seconds: float, rate: int = 8000) -> Path:
    """A quiet 440 Hz tone, mono 16-bit PCM."""
    samples = array(
        "h", (int(800 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(seconds * rate)))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def write_vtt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    def stamp(seconds: float) -> str:
        return f"00:00:{int(seconds):02}.{int(seconds * 1000) % 1000:03}"

    blocks = [f"{stamp(start)} --> {stamp(end)}\n{text}" for start, end, text in cues]
    path.write_text("WEBVTT\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def write_pdf(path: Path, pages: int) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    writer.setResolution(72)
    painter = QPainter(writer)
    painter.setFont(QFont("DejaVu Sans", 28))
    for page in range(pages):
        if page:
            writer.newPage()
        painter.drawText(QPointF(60, 120), f"Handout page {page + 1}")
    painter.end()
    return path


def write_png(path: Path, color: str = "#2e7d32") -> Path:
    image = QImage(120, 60, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    image.save(str(path))
    return path
