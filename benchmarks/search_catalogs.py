"""The catalogs the search benchmark types into: 10,000 courses / 500,000 lessons each,
written into a fresh cache through the sync's own applier (`apply_catalog_page`, search index
included) in under a minute. Generating a catalog on the reference server and syncing it over
loopback takes minutes on a 2-core machine (3.7 min and 4.7 min, measured).

- `generated_cache`: the reference server's generated catalog (`reference_server.generate`),
  its titles, summaries, kinds and quizzes; the assets are left out, search never reads them.
  Its sentences come from a few templates, so some words ("patient", "policy") are in every
  lesson: the worst case for ranking.
- `curriculum_cache`: words drawn with Zipf's law from the sample curriculum's own words
  (commonest first) followed by a long tail of made-up terms, so a common word such as
  "patient" matches about a fifth of the lessons and a rare one a few hundred.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop_app.api.documents import CourseDoc, LessonDoc, ModuleDoc
from desktop_app.db import Database
from desktop_app.gui.resources import resource_path
from desktop_app.sync.catalog import apply_catalog_page
from reference_server.generate import PREFIX, _add_lessons, _Rows
from reference_server.specs import AssetRef

COURSES, MODULES, LESSONS_PER_COURSE, PAGE = 10_000, 5, 50, 200
TAIL_WORDS, ZIPF_EXPONENT = 30_000, 1.05
_SYLLABLES = ("ca", "di", "neph", "ro", "gas", "tro", "lo", "gy", "pul", "mo", "der", "ma",
              "hep", "a", "to", "sis", "os", "te", "on", "co", "ur", "in", "al", "vas")  # fmt: skip
_BODY = AssetRef(sha256="0" * 64, size=1, mime_type="text/markdown", role="body", name="b.md")


def _write(path: Path, course: Callable[[int], CourseDoc]) -> None:
    """Courses 1..COURSES written page by page through the sync's applier."""
    database = Database(path)
    try:
        for start in range(1, COURSES + 1, PAGE):
            with database.session() as session:
                apply_catalog_page(session, [course(n) for n in range(start, start + PAGE)])
    finally:
        database.close()


# --- the reference server's generated catalog ------------------------------------------------


def generated_cache(path: Path) -> None:
    _write(path, _generated_course)


def _generated_course(number: int) -> CourseDoc:
    rows, course_id = _Rows(_BODY), f"{PREFIX}{number:05d}"
    rows.add_course(course_id, number, number, datetime.now(UTC))
    _add_lessons(rows, course_id, LESSONS_PER_COURSE, MODULES)
    lessons: dict[str, list[LessonDoc]] = {m["id"]: [] for m in rows.modules}
    for lesson in rows.lessons:
        lessons[lesson["module_id"]].append(_lesson_doc(lesson))
    modules = tuple(
        ModuleDoc(m["id"], m["title"], m["position"], tuple(lessons[m["id"]])) for m in rows.modules
    )
    course = rows.courses[0]
    return CourseDoc(course_id, course["title"], course["summary"], 1, number, None, modules)


def _lesson_doc(row: dict[str, Any]) -> LessonDoc:
    quiz = None if row["quiz"] is None else json.dumps(row["quiz"])
    return LessonDoc(row["id"], row["title"], row["kind"], row["position"], row["summary"],
                     row["duration_seconds"] or 0, (), quiz)  # fmt: skip


# --- curriculum words, Zipf ----------------------------------------------------------------


def curriculum_cache(path: Path) -> None:
    words = Words()
    _write(path, lambda number: _curriculum_course(words, number))


def _curriculum_words() -> list[str]:
    """The sample curriculum's words, commonest first."""
    counts: Counter[str] = Counter()
    for path in sorted(resource_path("curriculum/courses").glob("*.json")):
        text = " ".join(re.findall(r'"(?:title|summary)": "([^"]*)"', path.read_text("utf-8")))
        counts.update(word.lower() for word in re.findall(r"[A-Za-z][A-Za-z'-]+", text))
    return [word for word, _count in counts.most_common()]


class Words:
    """Draws words with Zipf's law: curriculum words first, then made-up terms."""

    def __init__(self, seed: int = 11) -> None:
        tail = ("".join(combo) for n in (3, 4) for combo in itertools.product(_SYLLABLES, repeat=n))
        self.vocabulary = _curriculum_words() + list(itertools.islice(tail, TAIL_WORDS))
        weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, len(self.vocabulary) + 1)]
        self._cumulative = list(itertools.accumulate(weights))
        self._random = random.Random(seed)

    def text(self, low: int, high: int) -> str:
        count = self._random.randint(low, high)
        words = self._random.choices(self.vocabulary, cum_weights=self._cumulative, k=count)
        return " ".join(words).capitalize()


def _curriculum_course(words: Words, number: int) -> CourseDoc:
    stem = f"{number:05d}"
    modules = tuple(
        ModuleDoc(f"m-{stem}-{m}", words.text(2, 5), m, tuple(
            LessonDoc(f"l-{stem}-{m}-{n}", words.text(3, 8), "reading", n, words.text(12, 30),
                      300, (), None)
            for n in range(LESSONS_PER_COURSE // MODULES)
        ))
        for m in range(MODULES)
    )  # fmt: skip
    return CourseDoc(f"c-{stem}", words.text(3, 7), words.text(15, 35), 1, number, None, modules)
