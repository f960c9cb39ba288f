"""The learner's record: each course begun, quiz attempts with scores, time spent, readiness."""

from __future__ import annotations

from datetime import UTC, datetime

from progress_samples import FakeClock

from desktop_app.db import Database
from desktop_app.models import Course, Lesson, Module
from desktop_app.progress import LessonRef, ProgressLog
from desktop_app.progress.overview import LearnerProgress, ReadinessRow

LESSONS = ("l-intro", "l-reading", "l-quiz")


def put_course(db: Database, course_id: str, title: str, lessons: tuple[str, ...]) -> None:
    with db.session() as session:
        session.add(Course(id=course_id, title=title, summary="", version=1, position=0))
        session.add(Module(id=f"{course_id}.m", course_id=course_id, title="Module", position=0))
        session.flush()
        for position, lesson_id in enumerate(lessons):
            title = f"Lesson {lesson_id}"
            kind = "quiz" if "quiz" in lesson_id else "reading"
            session.add(
                Lesson(
                    id=lesson_id,
                    module_id=f"{course_id}.m",
                    course_id=course_id,
                    title=title,
                    kind=kind,
                    position=position,
                )
            )


def ref(lesson_id: str, course_id: str = "c-foundations") -> LessonRef:
    kind = "quiz" if "quiz" in lesson_id else "reading"
    return LessonRef(lesson_id, course_id, f"Lesson {lesson_id}", kind)


def study(log: ProgressLog, clock: FakeClock, lesson: LessonRef, minutes: float) -> None:
    """Opens, reads for `minutes` and completes a lesson, as a player records it."""
    with log.db.session() as session:
        log.launched(session, lesson)
        clock.advance(minutes * 60)
        log.completed(session, lesson)
        log.terminated(session, lesson, minutes * 60)
    clock.advance(60)


def test_a_course_begun_shows_lessons_done_and_time_spent(
    log: ProgressLog, clock: FakeClock
) -> None:
    put_course(log.db, "c-foundations", "Foundations of care", LESSONS)
    put_course(log.db, "c-untouched", "Never opened", ("l-other",))
    study(log, clock, ref("l-intro"), 10)
    study(log, clock, ref("l-reading"), 5)

    overview = LearnerProgress(log.db).overview()

    (course,) = overview.courses
    assert (course.title, course.lessons_completed, course.lessons_total) == (
        "Foundations of care",
        2,
        3,
    )
    assert course.percent == 66
    assert course.time_spent_seconds == 15 * 60
    assert course.completed_at is None
    assert overview.time_spent_seconds == 15 * 60


def test_quiz_attempts_latest_first_with_scores_and_the_course_completed_date(
    log: ProgressLog, clock: FakeClock
) -> None:
    put_course(log.db, "c-foundations", "Foundations of care", LESSONS)
    study(log, clock, ref("l-intro"), 1)
    study(log, clock, ref("l-reading"), 1)
    quiz = ref("l-quiz")
    with log.db.session() as session:
        log.quiz_result(session, quiz, 0.4, False, {})
    clock.advance(120)
    with log.db.session() as session:
        passed_at = log.now()
        log.quiz_result(session, quiz, 0.9, True, {}, at=passed_at)

    overview = LearnerProgress(log.db).overview()

    assert [(a.score, a.passed) for a in overview.attempts] == [(0.9, True), (0.4, False)]
    assert overview.attempts[0].quiz_title == "Lesson l-quiz"
    assert overview.attempts[0].course_title == "Foundations of care"
    (course,) = overview.courses
    assert course.percent == 100 and course.completed_at == passed_at
    assert overview.courses_completed == 1


def test_progress_in_a_course_no_longer_in_the_catalog_is_not_listed(
    log: ProgressLog, clock: FakeClock
) -> None:
    study(log, clock, ref("l-gone", "c-withdrawn"), 3)

    overview = LearnerProgress(log.db).overview()

    assert overview.courses == () and overview.attempts == ()


def test_readiness_rows_come_from_the_residency_side(log: ProgressLog) -> None:
    row = ReadinessRow(
        "r-1", "Spring residency", datetime(2027, 3, 14, tzinfo=UTC), "UTC", 1, 2, False
    )

    overview = LearnerProgress(log.db, lambda: [row]).overview()

    assert overview.readiness == (row,) and not row.ready
