"""The xAPI 1.0.3 vocabulary Rounds speaks, and the statements it builds from it.

Verbs are the ADL ones cmi5 uses; activities are identified by stable IRIs under a configurable
base (`<base>/course/<id>`, `<base>/lesson/<id>`), with the course as the parent of a lesson.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

Statement = dict[str, Any]

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
LAUNCHED = ADL_VERBS + "launched"
INITIALIZED = ADL_VERBS + "initialized"
PROGRESSED = ADL_VERBS + "progressed"
COMPLETED = ADL_VERBS + "completed"
PASSED = ADL_VERBS + "passed"
FAILED = ADL_VERBS + "failed"
TERMINATED = ADL_VERBS + "terminated"

ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
COURSE_TYPE = ADL_ACTIVITIES + "course"
LESSON_TYPE = ADL_ACTIVITIES + "lesson"
ASSESSMENT_TYPE = ADL_ACTIVITIES + "assessment"

MEDIA_TIME = "https://w3id.org/xapi/video/extensions/time"
PROGRESS_PERCENT = "https://w3id.org/xapi/cmi5/result/extensions/progress"
PDF_PAGE = "https://rounds.example/xapi/extensions/page"
READING_SCROLL = "https://rounds.example/xapi/extensions/scroll"
QUIZ_QUESTION = "https://rounds.example/xapi/extensions/question"

POSITION_EXTENSIONS = {
    "video": MEDIA_TIME,
    "audio": MEDIA_TIME,
    "pdf": PDF_PAGE,
    "reading": READING_SCROLL,
    "quiz": QUIZ_QUESTION,
}
"""Where each kind of lesson keeps its resume position in `result.extensions`."""

LESSON_KINDS = tuple(POSITION_EXTENSIONS)
UNDETERMINED = "und"  # the language of titles from the server is not known here


@dataclass(frozen=True)
class LessonRef:
    lesson_id: str
    course_id: str
    title: str
    kind: str  # video | audio | reading | pdf | quiz


@dataclass(frozen=True)
class Actor:
    """The learner, as an xAPI Agent identified by their account on the server."""

    home_page: str
    username: str
    display_name: str = ""

    def to_xapi(self) -> dict[str, Any]:
        agent: dict[str, Any] = {
            "objectType": "Agent",
            "account": {"homePage": self.home_page, "name": self.username},
        }
        if self.display_name:
            agent["name"] = self.display_name
        return agent

    def is_agent(self, agent: Any) -> bool:
        """True if `agent` (an xAPI actor) is this learner's account."""
        if not isinstance(agent, dict) or not isinstance(agent.get("account"), dict):
            return False
        account = agent["account"]
        return account.get("name") == self.username and _same_home(account.get("homePage"), self)


def _same_home(home_page: Any, actor: Actor) -> bool:
    return isinstance(home_page, str) and home_page.rstrip("/") == actor.home_page.rstrip("/")


def activity_base_for(server_url: str) -> str:
    """The activity IRI base used for a server: `<server_url>/activities`."""
    return server_url.rstrip("/") + "/activities"


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_millis(moment: datetime) -> datetime:
    """`moment` in UTC, truncated to whole milliseconds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where a UTC time is required")
    utc = moment.astimezone(UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 UTC with millisecond precision and a `Z`: `2026-11-20T10:00:00.123Z`."""
    utc = to_millis(moment)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_timestamp(text: Any) -> datetime:
    """An RFC 3339 timestamp with a time zone, as an aware UTC datetime; ValueError if not."""
    if not isinstance(text, str) or "T" not in text.upper():
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {text!r}")
    return moment.astimezone(UTC)


def format_duration(seconds: float) -> str:
    """An ISO 8601 duration with 0.01 s precision, as xAPI recommends: `PT1H2M3.5S`."""
    hundredths = round(max(0.0, seconds) * 100) if math.isfinite(seconds) else 0
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, fraction = divmod(rest, 100)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if rest or not (hours or minutes):
        parts.append(f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "S")
    return "PT" + "".join(parts)


def canonical_json(value: Any) -> str:
    """The one serialisation used for storage and checksums: sorted keys, no spaces."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def quiz_response(answers: dict[str, list[str]]) -> str:
    """The learner's answers as `result.response`: canonical JSON, choices sorted."""
    return canonical_json({question: sorted(choices) for question, choices in answers.items()})


@dataclass(frozen=True)
class StatementBuilder:
    """Builds complete statements about lessons for one learner."""

    actor: Actor
    activity_base: str

    def course_iri(self, course_id: str) -> str:
        return f"{self.activity_base.rstrip('/')}/course/{quote(course_id, safe='')}"

    def lesson_iri(self, lesson_id: str) -> str:
        return f"{self.activity_base.rstrip('/')}/lesson/{quote(lesson_id, safe='')}"

    def build(
        self, lesson: LessonRef, verb: str, at: datetime, result: dict[str, Any] | None = None
    ) -> Statement:
        statement: Statement = {
            "id": str(uuid.uuid4()),
            "actor": self.actor.to_xapi(),
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": self._lesson_activity(lesson),
            "context": {"contextActivities": {"parent": [self._course_activity(lesson)]}},
            "timestamp": format_timestamp(at),
        }
        if result:
            statement["result"] = result
        return statement

    def _lesson_activity(self, lesson: LessonRef) -> dict[str, Any]:
        kind_type = ASSESSMENT_TYPE if lesson.kind == "quiz" else LESSON_TYPE
        return _activity(self.lesson_iri(lesson.lesson_id), kind_type, lesson.title)

    def _course_activity(self, lesson: LessonRef) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self.course_iri(lesson.course_id),
            "definition": {"type": COURSE_TYPE},
        }


def _activity(iri: str, activity_type: str, title: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": activity_type}
    if title:
        definition["name"] = {UNDETERMINED: title}
    return {"objectType": "Activity", "id": iri, "definition": definition}


def progress_result(kind: str, position: float, fraction: float) -> dict[str, Any]:
    """`result` of a progressed statement: the resume position and the integer percent."""
    extension = POSITION_EXTENSIONS.get(kind, MEDIA_TIME)
    percent = round(min(1.0, max(0.0, fraction)) * 100)
    return {"extensions": {extension: round(position, 3), PROGRESS_PERCENT: percent}}


def score_result(score: float, passed: bool, answers: dict[str, list[str]]) -> dict[str, Any]:
    """`result` of a passed or failed quiz."""
    if not (math.isfinite(score) and 0.0 <= score <= 1.0):
        raise ValueError(f"a scaled score is between 0 and 1, not {score!r}")
    return {"score": {"scaled": score}, "success": passed, "response": quiz_response(answers)}
