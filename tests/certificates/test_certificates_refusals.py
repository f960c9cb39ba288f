"""A course the reference server refuses to certify is not asked for at every sync: the learner's
log shows the course complete, but its quiz is only marked completed, not passed, so the server
answers 409. The refusal is kept with the server's reason; the course is asked for again after
a day, or once the learner's completion of it changes (the quiz passed), and then certified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.account import Account
from desktop_app.certificates.wallet import WALLET_FILE, Wallet
from desktop_app.content_store import ContentStore
from desktop_app.progress.xapi import LessonRef
from desktop_app.study import Study
from reference_server.server import ReferenceServer

COURSE = "c-privacy"
LESSONS = (
    ("l-privacy-identifiable-story", "video"),
    ("l-privacy-deidentification", "reading"),
    ("l-privacy-boundaries", "audio"),
    ("l-privacy-before-you-post", "pdf"),
)
QUIZ = LessonRef("l-privacy-quiz", COURSE, "Quiz", "quiz")
ASKED = f"/api/v1/courses/{COURSE}/certificate"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def study(synced: Account, tmp_path: Path) -> Study:
    made = Study(synced, ContentStore(tmp_path / "content"))
    with synced.db.session() as session:
        for lesson_id, kind in LESSONS:
            made.progress.completed(session, LessonRef(lesson_id, COURSE, lesson_id, kind))
        made.progress.completed(session, QUIZ)  # complete here; not passed for the server
    return made


def _asked(server: ReferenceServer, study: Study) -> int:
    """How many times one sync asked the server for the course's certificate."""
    server.clear_requests()
    assert study.sync().progress_error == ""
    return sum(1 for r in server.requests if r.method == "POST" and r.path == ASKED)


def test_a_refused_course_is_asked_again_only_once_it_could_have_changed(
    study: Study, reference_server: ReferenceServer
) -> None:
    clock = Clock()
    study.certificates = Wallet(study.account.paths.root, clock)
    assert _asked(reference_server, study) == 1
    with pytest.raises(LookupError) as refused:
        study.certificates.certificate_for(COURSE)
    assert "did not issue" in str(refused.value) and "not complete" in str(refused.value)
    assert study.certificates.kept().refusals[COURSE].kind == "course-not-complete"

    assert _asked(reference_server, study) == 0
    reopened = Wallet(study.account.paths.root, clock)  # the refusal is in the wallet file
    study.certificates = reopened
    clock.now += timedelta(hours=23)
    assert _asked(reference_server, study) == 0
    clock.now += timedelta(hours=2)
    assert _asked(reference_server, study) == 1  # a day passed: refused again
    assert _asked(reference_server, study) == 0
    clock.now -= timedelta(days=3)  # the computer's clock set back before the refusal
    assert _asked(reference_server, study) == 1
    assert _asked(reference_server, study) == 0

    with study.account.db.session() as session:
        study.progress.quiz_result(session, QUIZ, 1.0, True, {"q1": ["a"]}, out_of=1)
    assert _asked(reference_server, study) == 1  # the completion changed
    assert study.certificates.certificate_for(COURSE).course_id == COURSE
    assert COURSE not in study.certificates.kept().refusals
    assert _asked(reference_server, study) == 0


def test_a_damaged_refusal_is_asked_again(study: Study, reference_server: ReferenceServer) -> None:
    assert _asked(reference_server, study) == 1
    wallet = study.account.paths.root / WALLET_FILE
    text = wallet.read_text(encoding="utf-8")
    wallet.write_text(text.replace('"refused_at": "', '"refused_at": "not a time '), "utf-8")
    assert _asked(reference_server, study) == 1
    assert _asked(reference_server, study) == 0
