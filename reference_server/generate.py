"""Bulk generation of a large synthetic catalog that looks like the real one (for benchmarks).

Each course has a summary and modules; its lessons go through every kind in turn: video and
audio with English captions, readings with a figure, PDF handouts, quizzes with questions.
Titles and summaries are varied sentences, so the search index holds text like a real one.
Every asset is the lesson's own (its own digest, hence its own URL, name and size), because a
sync that met one shared asset 50,000 times would measure less work than a real catalog gives.
Only the digests are made up: the bytes are not stored (10,000 courses would claim terabytes
of video), so a generated lesson syncs but does not download; the first lesson of each course
is a reading whose body is the stored `body`, which does. Everything follows from the course
and lesson numbers, so the same call gives the same catalog.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from reference_server.changes import next_seq
from reference_server.models import Asset, Course, Lesson, LessonAsset, Module
from reference_server.publishing import ensure_assets
from reference_server.specs import AssetRef

PREFIX = "c-gen-"
_CHUNK = 5_000
Row = dict[str, Any]
AssetSpec = tuple[str, str, str, int, str | None]
"""An asset as a lesson carries it: role, name, MIME type, size, language."""

TOPICS = (
    "patient privacy", "photo consent", "answering comments", "crisis posts",
    "vaccine myths", "live video questions", "clinic hashtags", "long-form articles",
    "reporting harassment", "accessible captions", "measuring reach", "after-hours replies",
    "misinformation", "community groups", "staff advocacy", "paid campaigns", "screening drives",
)  # fmt: skip
PLATFORMS = ("Facebook", "Twitter/X", "LinkedIn", "Instagram", "YouTube")
OPENINGS = (
    "How to plan", "Why clinicians get wrong", "A checklist for", "Common mistakes in",
    "A case study in", "Ten minutes on", "The evidence on", "Practising",
)  # fmt: skip
AUDIENCES = ("residents", "nurses", "pharmacists", "ward managers", "family physicians")
MODULE_NAMES = ("Foundations", "Planning", "In practice", "Hard cases", "Review", "Beyond")
KINDS = ("video", "reading", "audio", "pdf", "quiz")


def _spread(number: int, low: int, high: int) -> int:
    """A deterministic, evenly scattered value in [low, high) for `number`."""
    return low + (number * 2_654_435_761 % 2**32) % (high - low)


def _pick(options: tuple[str, ...], number: int) -> str:
    return options[_spread(number, 0, 1 << 20) % len(options)]


def _title(number: int) -> str:
    topic, platform = _pick(TOPICS, number), _pick(PLATFORMS, number * 7 + 3)
    return f"{_pick(OPENINGS, number * 3 + 1)} {topic} on {platform}"


def _summary(number: int) -> str:
    topic, audience = _pick(TOPICS, number * 5 + 2), _pick(AUDIENCES, number * 11 + 5)
    platform = _pick(PLATFORMS, number * 13 + 1)
    return (
        f"What {audience} need to know about {topic} when a patient writes on {platform}. "
        f"Worked examples, the hospital's policy and what to say when a post goes wrong "
        f"({_spread(number, 3, 12)} key points)."
    )


def _digest(lesson_id: str, name: str) -> str:
    return hashlib.sha256(f"{lesson_id}/{name}".encode()).hexdigest()


def _quiz(number: int) -> dict[str, Any]:
    questions = []
    for q in range(1, _spread(number, 3, 6)):
        topic = _pick(TOPICS, number + q)
        choices = [{"id": c, "text": f"{c.upper()}: {_title(number * 4 + q + ord(c))}"}
                   for c in "abcd"]  # fmt: skip
        correct = "abcd"[_spread(number + q, 0, 4)]
        questions.append(
            {"id": f"q{q}", "prompt": f"Which is the safest reply about {topic}?",
             "multiple": False, "choices": choices, "correct": [correct],
             "feedback": f"See the reading on {topic}."}
        )  # fmt: skip
    return {"pass_mark": 0.7, "questions": questions}


@dataclass
class _Rows:
    """Rows for each table, built in memory and inserted in large batches."""

    body: AssetRef
    courses: list[Row] = field(default_factory=list)
    modules: list[Row] = field(default_factory=list)
    lessons: list[Row] = field(default_factory=list)
    assets: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)

    def add_course(self, course_id: str, number: int, seq: int, now: datetime) -> None:
        self.courses.append(
            {
                "id": course_id,
                "title": f"{_title(number)} ({number})",
                "summary": _summary(number),
                "position": 1000 + number,
                "version": 1,
                "published": True,
                "seq": seq,
                "updated_at": now,
                "content_hash": "",
            }
        )

    def add_module(self, course_id: str, module_id: str, position: int) -> None:
        name = MODULE_NAMES[position % len(MODULE_NAMES)]
        self.modules.append(
            {
                "id": module_id,
                "course_id": course_id,
                "title": f"{position + 1}. {name}",
                "position": position,
            }
        )

    def add_lesson(self, module_id: str, lesson_id: str, number: int, position: int) -> None:
        """Lesson `number` (from 1) of its course; `position` within its module."""
        kind = "reading" if number == 1 else KINDS[(number - 2) % len(KINDS)]
        seed = _spread(hash_of(lesson_id), 0, 1 << 30)
        duration = _duration(kind, seed)
        self.lessons.append(
            {
                "id": lesson_id,
                "module_id": module_id,
                "title": "How this course works" if number == 1 else _title(seed),
                "kind": kind,
                "position": position,
                "summary": _summary(seed),
                "duration_seconds": duration,
                "quiz": _quiz(seed) if kind == "quiz" else None,
            }
        )
        if number == 1:
            body = self.body
            self._link(lesson_id, 0, body.sha256, ("body", body.name, body.mime_type, 0, None))
        else:
            self._add_assets(lesson_id, kind, seed, duration)

    def _add_assets(self, lesson_id: str, kind: str, seed: int, duration: int | None) -> None:
        for position, asset in enumerate(_assets_of(kind, seed, duration)):
            sha256 = _digest(lesson_id, asset[1])
            self.assets.append({"sha256": sha256, "size": asset[3], "mime_type": asset[2]})
            self._link(lesson_id, position, sha256, asset)

    def _link(self, lesson_id: str, position: int, sha256: str, asset: AssetSpec) -> None:
        role, name, mime_type, _size, language = asset
        self.links.append(
            {
                "lesson_id": lesson_id,
                "position": position,
                "sha256": sha256,
                "role": role,
                "name": name,
                "mime_type": mime_type,
                "language": language,
            }
        )

    def insert_into(self, session: Session) -> None:
        """Insert what was gathered, parents first, and start empty again."""
        tables = (
            (Course, self.courses),
            (Module, self.modules),
            (Lesson, self.lessons),
            (Asset, self.assets),
            (LessonAsset, self.links),
        )
        for model, rows in tables:
            for offset in range(0, len(rows), _CHUNK):
                session.execute(insert(model), rows[offset : offset + _CHUNK])
            rows.clear()


def hash_of(text: str) -> int:
    """A stable number for `text` (Python's own hash of a str changes from run to run)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest())


def _duration(kind: str, seed: int) -> int | None:
    ranges = {"video": (240, 1500), "audio": (300, 1800), "reading": (180, 900), "pdf": (300, 1200)}
    low_high = ranges.get(kind)
    return None if low_high is None else _spread(seed, *low_high)


def _assets_of(kind: str, seed: int, duration: int | None) -> list[AssetSpec]:
    """The assets a lesson of `kind` carries (a quiz none)."""
    seconds, video_rate = duration or 0, _spread(seed, 150_000, 400_000)  # 1.2–3.2 Mbit/s
    captions: AssetSpec = ("captions", "captions.en.vtt", "text/vtt", seconds * 15 + 200, "en")
    by_kind: dict[str, list[AssetSpec]] = {
        "video": [("media", "lesson.mp4", "video/mp4", seconds * video_rate, None), captions],
        "audio": [("media", "lesson.mp3", "audio/mpeg", seconds * 16_000, None), captions],
        "reading": [
            ("body", "reading.md", "text/markdown", _spread(seed, 2_000, 14_000), None),
            ("image", "figure.png", "image/png", _spread(seed, 40_000, 400_000), None),
        ],
        "pdf": [("document", "handout.pdf", "application/pdf", _spread(seed, 2**17, 2**22), None)],
    }
    return by_kind.get(kind, [])


def generate_catalog(
    session: Session,
    n_courses: int,
    lessons_per_course: int,
    body: AssetRef,
    now: datetime,
    modules_per_course: int = 5,
) -> list[str]:
    """Publishes `n_courses` courses with their lessons spread over the modules; returns the
    new course ids."""
    if n_courses < 0 or lessons_per_course < 0 or modules_per_course < 1:
        raise ValueError("counts must not be negative (and a course needs a module)")
    start = session.scalar(select(func.count()).where(Course.id.like(PREFIX + "%"))) or 0
    first_seq = next_seq(session, max(n_courses, 1))
    ensure_assets(session, [body])
    rows, ids = _Rows(body), []
    for index in range(n_courses):
        number = start + index + 1
        ids.append(f"{PREFIX}{number:05d}")
        rows.add_course(ids[-1], number, first_seq + index, now)
        _add_lessons(rows, ids[-1], lessons_per_course, modules_per_course)
        if len(rows.lessons) >= _CHUNK:
            rows.insert_into(session)
    rows.insert_into(session)
    return ids


def _add_lessons(rows: _Rows, course_id: str, lesson_count: int, module_count: int) -> None:
    module_count = max(1, min(module_count, lesson_count))
    stem = course_id.removeprefix("c-")
    module_id, position = "", 0
    for index in range(lesson_count):
        module_index = index * module_count // lesson_count
        if module_id != f"m-{stem}-{module_index + 1}":
            module_id, position = f"m-{stem}-{module_index + 1}", 0
            rows.add_module(course_id, module_id, module_index)
        rows.add_lesson(module_id, f"l-{stem}-{index + 1}", index + 1, position)
        position += 1
