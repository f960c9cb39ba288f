"""The progress log and the state derived from it.

Progress is an append-only log of xAPI 1.0.3 statements with client-generated ids, stored in
the local cache. Lesson and course state are derived from the log; two devices' logs merge by
union. Lesson players talk to it through a `LessonRecorder` from `ProgressLog.recorder_for`;
the outbox takes what waits for upload from an `OutboxQueue`; a `ProgressExchange` merges
other devices' statements and reads and writes progress files.

The names below load on first use (PEP 562): the window reads the log and counts what waits
for upload, and loads the exchange of progress files when the Progress page asks for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.lazy_names import names_from

if TYPE_CHECKING:
    from desktop_app.progress.exchange import MergeResult, ProgressExchange, ProgressFileError
    from desktop_app.progress.log import ProgressLog
    from desktop_app.progress.pending import Pending
    from desktop_app.progress.queue import OutboxQueue
    from desktop_app.progress.recorder import LessonRecorder, Throttle
    from desktop_app.progress.state import (
        CourseState,
        LessonState,
        continue_lesson_from,
        course_state_from,
        lesson_state_from,
    )
    from desktop_app.progress.store import PendingStatement, QuarantinedStatement
    from desktop_app.progress.xapi import Actor, LessonRef, activity_base_for, utc_now

_HOMES = {
    "Actor": ".xapi",
    "CourseState": ".state",
    "LessonRecorder": ".recorder",
    "LessonRef": ".xapi",
    "LessonState": ".state",
    "MergeResult": ".exchange",
    "OutboxQueue": ".queue",
    "Pending": ".pending",
    "PendingStatement": ".store",
    "ProgressExchange": ".exchange",
    "ProgressFileError": ".exchange",
    "ProgressLog": ".log",
    "QuarantinedStatement": ".store",
    "Throttle": ".recorder",
    "activity_base_for": ".xapi",
    "continue_lesson_from": ".state",
    "course_state_from": ".state",
    "lesson_state_from": ".state",
    "utc_now": ".xapi",
}
__all__ = [
    "Actor",
    "CourseState",
    "LessonRecorder",
    "LessonRef",
    "LessonState",
    "MergeResult",
    "OutboxQueue",
    "Pending",
    "PendingStatement",
    "ProgressExchange",
    "ProgressFileError",
    "ProgressLog",
    "QuarantinedStatement",
    "Throttle",
    "activity_base_for",
    "continue_lesson_from",
    "course_state_from",
    "lesson_state_from",
    "utc_now",
]


__getattr__ = names_from(__name__, _HOMES)
