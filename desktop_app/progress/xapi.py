"""The xAPI 1.0.3 vocabulary Rounds speaks, and the statements it builds from it.

Verbs are the ADL ones cmi5 uses; activities are identified by stable IRIs under the base the
server states at sign-in (`<base>/course/<id>`, `<base>/lesson/<id>`), with the course as the
parent of a lesson, and the extensions Rounds defines are under the server's extensions base.
The learner is the actor the server states, never one made from the address as typed. Every
statement about a course carries the learner's registration in it (`registration_for`).
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from desktop_app.api.addresses import DEFAULT_PORTS, normalised

Statement = dict[str, Any]

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ANSWERED = ADL_VERBS + "answered"
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
INTERACTION_TYPE = ADL_ACTIVITIES + "cmi.interaction"

MEDIA_TIME = "https://w3id.org/xapi/video/extensions/time"
PROGRESS_PERCENT = "https://w3id.org/xapi/cmi5/result/extensions/progress"
EARLIER_EXTENSIONS = "https://rounds.example/xapi/extensions"
"""The extensions base of statements made before servers stated one; still read."""
PDF_PAGE = EARLIER_EXTENSIONS + "/page"
READING_SCROLL = EARLIER_EXTENSIONS + "/scroll"
QUIZ_QUESTION = EARLIER_EXTENSIONS + "/question"

POSITION_EXTENSIONS = {
    "video": MEDIA_TIME,
    "audio": MEDIA_TIME,
    "pdf": PDF_PAGE,
    "reading": READING_SCROLL,
    "quiz": QUIZ_QUESTION,
}
"""Where each kind of lesson kept its resume position in `result.extensions` under the earlier
base; `position_extension` gives the key under a stated base."""
_POSITION_NAMES = {"pdf": "page", "reading": "scroll", "quiz": "question"}
REGISTRATIONS = uuid.UUID("5b1d6f0e-3c52-5c1e-9a53-7f0b7f2e6a41")
"""The namespace of registration UUIDs (`registration_for`)."""

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
    """The learner, as an xAPI Agent identified by their account on the server: the server's
    stable home page and the user's stable id, so no port or spelling of the address makes
    another person of them. `aliases` are the accounts (normalised home page, name) the same
    learner was recorded under before, the server's address and their username (see
    `aliases_for`): statements by those are this learner's too, as are those by one of
    `mailboxes`, the mbox ("mailto:…") or mbox_sha1sum the server named them by before."""

    home_page: str
    account_name: str
    display_name: str = ""
    aliases: frozenset[tuple[str, str]] = frozenset()
    mbox: str = ""  # "mailto:…" when the server names learners by e-mail, instead of the account
    mailboxes: frozenset[str] = frozenset()  # lower case

    def to_xapi(self) -> dict[str, Any]:
        agent: dict[str, Any] = {"objectType": "Agent"}
        if self.mbox:
            agent["mbox"] = self.mbox
        else:
            agent["account"] = {"homePage": self.home_page, "name": self.account_name}
        if self.display_name:
            agent["name"] = self.display_name
        return agent

    @property
    def key(self) -> str:
        """The inverse functional identifier as one string, the same on every device."""
        if self.mbox:
            return self.mbox.lower()
        return f"{self.home_page.rstrip('/')}\n{self.account_name}"

    def is_agent(self, agent: Any) -> bool:
        """True if `agent` (an xAPI actor) is this learner's mbox or account, or an alias."""
        if not isinstance(agent, dict):
            return False
        mailbox = agent.get("mbox") or agent.get("mbox_sha1sum")
        if isinstance(mailbox, str):
            return mailbox.lower() in {self.mbox.lower(), *self.mailboxes} - {""}
        if not isinstance(agent.get("account"), dict):
            return False
        home, name = agent["account"].get("homePage"), agent["account"].get("name")
        if not isinstance(home, str):
            return False
        own = not self.mbox and name == self.account_name
        if own and home.rstrip("/") == self.home_page.rstrip("/"):
            return True
        return (_spelled_one_way(home), name) in self.aliases

    def earlier_agents(self) -> list[dict[str, Any]]:
        """The aliases as xAPI agents, to ask a learning record store for their statements."""
        this = ("", "") if self.mbox else (self.home_page.rstrip("/"), self.account_name)
        return [
            {"objectType": "Agent", "account": {"homePage": home, "name": name}}
            for home, name in sorted(self.aliases)
            if (home, name) != this
        ] + [
            {"objectType": "Agent", "mbox" if box.startswith("mailto:") else "mbox_sha1sum": box}
            for box in sorted(self.mailboxes - {self.mbox.lower()})
        ]


def aliases_for(addresses: Iterable[str], username: str) -> frozenset[tuple[str, str]]:
    """The accounts a learner had before stable ids: each server address with the username."""
    return frozenset((_spelled_one_way(address), username) for address in addresses)


def _spelled_one_way(home: str) -> str:
    """A home page spelled as server addresses are (`api.addresses.normalised`), so a cache
    recorded under `http://LocalHost:80/` still matches `http://localhost`."""
    try:
        parts = urlsplit(home.strip())
        return normalised(parts) if parts.scheme.lower() in DEFAULT_PORTS else home.rstrip("/")
    except ValueError:
        return home.rstrip("/")


def registration_for(actor: Actor, course_iri: str) -> str:
    """The learner's registration in a course: a UUID made from the actor and the course's IRI
    (version 5 in `REGISTRATIONS`), so every device and every restart gives the same one."""
    return str(uuid.uuid5(REGISTRATIONS, f"{actor.key}\n{course_iri}"))


def position_extension(kind: str, extensions_base: str = EARLIER_EXTENSIONS) -> str:
    """The `result.extensions` key of a kind of lesson's resume position under a base."""
    name = _POSITION_NAMES.get(kind)
    return f"{extensions_base.rstrip('/')}/{name}" if name else MEDIA_TIME


def position_keys(extensions: dict[str, Any]) -> list[str]:
    """The keys of `extensions` that may hold a resume position, the known ones first: the
    media time, the earlier base's, then a page, scroll or question under any base."""
    known = [key for key in dict.fromkeys(POSITION_EXTENSIONS.values()) if key in extensions]
    names = tuple("/" + name for name in _POSITION_NAMES.values())
    return known + [k for k in extensions if k not in known and str(k).endswith(names)]


def activity_base_for(home_page: str) -> str:
    """The activity IRI base under a learner's home page: `<home_page>/activities`. Lessons and
    courses are told apart by the end of the IRI (`validation.lesson_id_of`), so statements
    under an older base (the server's address) still count for the same lessons."""
    return home_page.rstrip("/") + "/activities"


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
    extensions_base: str = EARLIER_EXTENSIONS

    def course_iri(self, course_id: str) -> str:
        return f"{self.activity_base.rstrip('/')}/course/{quote(course_id, safe='')}"

    def lesson_iri(self, lesson_id: str) -> str:
        return f"{self.activity_base.rstrip('/')}/lesson/{quote(lesson_id, safe='')}"

    def build(
        self, lesson: LessonRef, verb: str, at: datetime, result: dict[str, Any] | None = None
    ) -> Statement:
        context = {"contextActivities": {"parent": [self.course_activity(lesson)]}}
        return self.statement(self.lesson_activity(lesson), verb, at, lesson, context, result)

    def statement(
        self,
        activity: dict[str, Any],
        verb: str,
        at: datetime,
        lesson: LessonRef,
        context: dict[str, Any],
        result: dict[str, Any] | None = None,
    ) -> Statement:
        """A statement about `activity` in `lesson`'s course, with the registration in it."""
        statement: Statement = {
            "id": str(uuid.uuid4()),
            "actor": self.actor.to_xapi(),
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": activity,
            "context": {**context, "registration": self.registration(lesson.course_id)},
            "timestamp": format_timestamp(at),
        }
        if result:
            statement["result"] = result
        return statement

    def registration(self, course_id: str) -> str:
        return registration_for(self.actor, self.course_iri(course_id))

    def progress_result(self, kind: str, position: float, fraction: float) -> dict[str, Any]:
        return progress_result(kind, position, fraction, self.extensions_base)

    def lesson_activity(self, lesson: LessonRef) -> dict[str, Any]:
        kind_type = ASSESSMENT_TYPE if lesson.kind == "quiz" else LESSON_TYPE
        return _activity(self.lesson_iri(lesson.lesson_id), kind_type, lesson.title)

    def course_activity(self, lesson: LessonRef) -> dict[str, Any]:
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


def progress_result(
    kind: str, position: float, fraction: float, extensions_base: str = EARLIER_EXTENSIONS
) -> dict[str, Any]:
    """`result` of a progressed statement: the resume position and the integer percent."""
    extension = position_extension(kind, extensions_base)
    percent = round(min(1.0, max(0.0, fraction)) * 100)
    return {"extensions": {extension: round(position, 3), PROGRESS_PERCENT: percent}}


def score_result(
    score: float, passed: bool, answers: dict[str, list[str]], out_of: int = 0
) -> dict[str, Any]:
    """`result` of a passed or failed quiz; with `out_of` questions, also the raw score (the
    questions answered right) between min 0 and max `out_of`."""
    if not (math.isfinite(score) and 0.0 <= score <= 1.0):
        raise ValueError(f"a scaled score is between 0 and 1, not {score!r}")
    scored: dict[str, Any] = {"scaled": score}
    if out_of > 0:
        scored.update(raw=round(score * out_of), min=0, max=out_of)
    return {"score": scored, "success": passed, "response": quiz_response(answers)}
