"""The progress log and the state derived from it.

Progress is an append-only log of xAPI 1.0.3 statements with client-generated ids, stored in
the local cache. Lesson and course state are derived from the log; two devices' logs merge by
union. Lesson players talk to it through a `LessonRecorder` from `ProgressLog.recorder_for`;
the outbox takes what waits for upload from an `OutboxQueue`; a `ProgressExchange` merges
other devices' statements and reads and writes progress files.
"""

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
