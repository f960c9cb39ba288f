"""Course certificates: issued when the server's own copy of a learner's statements shows the
course complete, signed with the badge key so anyone can verify them offline, and revocable.

A token is base64url(canonical JSON payload) "." base64url(Ed25519 signature), unpadded, as a
badge is. The payload names the key that signed it (`kid`: the first 16 hex digits of the
SHA-256 of the raw public key), so a verifier holding several keys knows which one to use. The
revocation list is signed the same way, so a client can keep it and trust it offline.

Completion follows the client's rule (desktop_app.progress): every lesson of the course has a
completed or passed statement, and every quiz lesson a passed one.
"""

import base64
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from reference_server import b64url
from reference_server.auth import AuthenticatedUser
from reference_server.badges import BadgeSigner
from reference_server.db import Database
from reference_server.documents import rfc3339
from reference_server.jsonresponse import json_response
from reference_server.models import Course, IssuedCertificate, Lesson, Module, Statement
from reference_server.openapi import problems, reply
from reference_server.problems import ProblemError

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
COMPLETED, PASSED = ADL_VERBS + "completed", ADL_VERBS + "passed"
PROGRAMME_VARIABLE = "ROUNDS_PROGRAMME_NAME"
DEFAULT_PROGRAMME = "Rounds clinical training"
CERTIFICATE_TYPE = "rounds-certificate"
REVOCATIONS_TYPE = "rounds-revocations"


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signed_token(signer: BadgeSigner, payload: dict[str, Any]) -> str:
    """The compact token of `payload`, with the signing key's id added."""
    body = {**payload, "kid": key_id(signer.public_key)}
    data = json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    return f"{b64url.encode(data)}.{b64url.encode(signer.sign_bytes(data))}"


def certificate_id(server_id: str, user_id: str, course_id: str) -> str:
    """The same learner and course always get the same id on one server."""
    digest = hashlib.sha256(f"{server_id}\0{user_id}\0{course_id}".encode()).digest()
    return "RC-" + base64.b32encode(digest[:10]).decode("ascii")


@dataclass(frozen=True)
class Completion:
    completed_at: datetime
    hours: float


def _lesson_of(iri: str | None) -> str:
    segments = urlsplit(iri or "").path.split("/")
    if len(segments) >= 2 and segments[-2] == "lesson" and segments[-1]:
        return unquote(segments[-1])
    return ""


def _moment(body: str, stored: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(json.loads(body)["timestamp"])
    except (ValueError, KeyError, TypeError):
        return stored
    return moment if moment.tzinfo is not None else stored


def judge_completion(session: Session, user_id: str, course_id: str) -> Completion | None:
    """When the learner completed the course by its rules, and its hours; None if not yet."""
    lessons = session.execute(
        select(Lesson.id, Lesson.kind, Lesson.quiz, Lesson.duration_seconds)
        .join(Module, Module.id == Lesson.module_id)
        .where(Module.course_id == course_id)
    ).all()
    if not lessons:
        return None
    first = _first_completions(session, user_id)
    moments = []
    for lesson_id, kind, quiz, _duration in lessons:
        needs_pass = kind == "quiz" or quiz is not None
        done = first.get((lesson_id, PASSED)) if needs_pass else _earliest(first, lesson_id)
        if done is None:
            return None
        moments.append(done)
    hours = sum(duration or 0 for *_rest, duration in lessons) / 3600
    return Completion(max(moments), round(hours, 2))


def _earliest(first: dict[tuple[str, str], datetime], lesson_id: str) -> datetime | None:
    found = [first[key] for key in ((lesson_id, COMPLETED), (lesson_id, PASSED)) if key in first]
    return min(found, default=None)


def _first_completions(session: Session, user_id: str) -> dict[tuple[str, str], datetime]:
    """(lesson id, verb) -> when first, over the learner's statements that are not voided."""
    rows = session.execute(
        select(Statement.activity_id, Statement.verb_id, Statement.body, Statement.stored).where(
            Statement.user_id == user_id,
            Statement.voided.is_(False),
            Statement.verb_id.in_([COMPLETED, PASSED]),
        )
    )
    first: dict[tuple[str, str], datetime] = {}
    for activity_id, verb, body, stored in rows:
        lesson_id = _lesson_of(activity_id)
        if lesson_id:
            moment = _moment(body, stored)
            key = (lesson_id, verb)
            first[key] = min(moment, first.get(key, moment))
    return first


class CertificateDesk:
    """Issues, looks up and revokes certificates."""

    def __init__(
        self,
        db: Database,
        signer: BadgeSigner,
        server_id: str,
        issuer: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._db, self._signer, self._server_id = db, signer, server_id
        self._issuer, self._clock = issuer, clock

    def issue(self, user: AuthenticatedUser, course_id: str) -> dict[str, Any]:
        """The learner's certificate for the course, made the first time it is asked for."""

        def unit(session: Session) -> dict[str, Any]:
            course = session.get(Course, course_id)
            if course is None or not course.published:
                raise ProblemError(404, detail="No course has that id.")
            cert_id = certificate_id(self._server_id, user.id, course_id)
            row = session.get(IssuedCertificate, cert_id)
            if row is None:
                row = self._new(session, user, course, cert_id)
            if row.revoked_at is not None:
                raise ProblemError(403, detail="Your certificate for this course was revoked.")
            return _document(row, self._payload_of(row))

        return self._db.write_retrying(unit)

    def _new(
        self, session: Session, user: AuthenticatedUser, course: Course, cert_id: str
    ) -> IssuedCertificate:
        completion = judge_completion(session, user.id, course.id)
        if completion is None:
            raise ProblemError(
                409,
                "course-not-complete",
                "The course is not complete yet: every lesson must be done and the quiz passed.",
                title="Course not complete",
            )
        now = self._clock()
        payload = {
            "typ": CERTIFICATE_TYPE,
            "v": 1,
            "id": cert_id,
            "programme": os.environ.get(PROGRAMME_VARIABLE) or DEFAULT_PROGRAMME,
            "issuer": self._issuer,
            "server_id": self._server_id,
            "learner": user.display_name,
            "course_id": course.id,
            "course_title": course.title,
            "completed_at": rfc3339(completion.completed_at),
            "hours": completion.hours,
            "issued_at": rfc3339(now),
        }
        row = IssuedCertificate(
            id=cert_id,
            user_id=user.id,
            course_id=course.id,
            token=signed_token(self._signer, payload),
            issued_at=now,
        )
        session.add(row)
        session.flush()  # another worker's insert of the same id fails here and is rerun
        return row

    @staticmethod
    def _payload_of(row: IssuedCertificate) -> dict[str, Any]:
        body = row.token.partition(".")[0]
        payload: dict[str, Any] = json.loads(b64url.decode(body))
        return payload

    def lookup(self, cert_id: str) -> dict[str, Any]:
        with self._db.read() as session:
            row = session.get(IssuedCertificate, cert_id.strip().upper())
            if row is None:
                raise ProblemError(404, detail="No certificate has that id.")
            return _document(row, self._payload_of(row))

    def mine(self, user: AuthenticatedUser) -> list[dict[str, Any]]:
        with self._db.read() as session:
            rows = session.scalars(
                select(IssuedCertificate)
                .where(IssuedCertificate.user_id == user.id)
                .order_by(IssuedCertificate.id)
            )
            return [_document(row, self._payload_of(row)) for row in rows]

    def revocations(self) -> dict[str, Any]:
        with self._db.read() as session:
            rows = session.execute(
                select(IssuedCertificate.id, IssuedCertificate.revoked_at)
                .where(IssuedCertificate.revoked_at.is_not(None))
                .order_by(IssuedCertificate.id)
            ).all()
        revoked = [{"id": cid, "revoked_at": rfc3339(when)} for cid, when in rows if when]
        payload = {
            "typ": REVOCATIONS_TYPE,
            "v": 1,
            "server_id": self._server_id,
            "issued_at": rfc3339(self._clock()),
            "revoked": revoked,
        }
        return {"revoked": revoked, "token": signed_token(self._signer, payload)}

    def revoke(self, cert_id: str) -> bool:
        """Revokes a certificate; False if it was revoked already. KeyError if unknown."""

        def unit(session: Session) -> bool:
            row = session.get(IssuedCertificate, cert_id.strip().upper())
            if row is None:
                raise KeyError(f"no certificate has the id {cert_id}")
            if row.revoked_at is not None:
                return False
            row.revoked_at = self._clock()
            return True

        return self._db.write_retrying(unit)


def _document(row: IssuedCertificate, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": "revoked" if row.revoked_at is not None else "valid",
        "learner": payload["learner"],
        "course_id": row.course_id,
        "course_title": payload["course_title"],
        "completed_at": payload["completed_at"],
        "hours": payload["hours"],
        "issued_at": payload["issued_at"],
        "revoked_at": rfc3339(row.revoked_at) if row.revoked_at else None,
        "token": row.token,
    }


class CertificateReply(BaseModel):
    id: str
    status: str = Field(description='"valid" or "revoked"')
    learner: str
    course_id: str
    course_title: str
    completed_at: str
    hours: float
    issued_at: str
    revoked_at: str | None
    token: str = Field(description="The signed token: base64url payload, '.', signature")


class CertificateList(BaseModel):
    certificates: list[CertificateReply]


class RevokedEntry(BaseModel):
    id: str
    revoked_at: str


class RevocationList(BaseModel):
    revoked: list[RevokedEntry]
    token: str = Field(description="The same list signed, to be kept and trusted offline")


def certificates_router(
    desk: CertificateDesk, guard: Callable[..., AuthenticatedUser]
) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["certificates"])

    @router.post(
        "/courses/{course_id}/certificate",
        summary="The learner's certificate for a course they completed",
        responses={
            **reply(CertificateReply, "The certificate (the same one on every request)"),
            **problems(401, 403, 404, 409),
        },
    )
    def issue(course_id: str, user: Annotated[AuthenticatedUser, Depends(guard)]) -> Response:
        return json_response(desk.issue(user, course_id))

    @router.get(
        "/certificates",
        summary="The certificates issued to the learner",
        responses={**reply(CertificateList, "The learner's certificates"), **problems(401)},
    )
    def mine(user: Annotated[AuthenticatedUser, Depends(guard)]) -> Response:
        return json_response({"certificates": desk.mine(user)})

    @router.get(
        "/certificates/revoked",
        summary="The ids of revoked certificates, signed",
        responses=reply(RevocationList, "The revocation list"),
    )
    def revoked() -> Response:
        return json_response(desk.revocations())

    @router.get(
        "/certificates/{certificate_id}",
        summary="Verify a certificate by its id (no sign-in)",
        responses={**reply(CertificateReply, "The certificate and its status"), **problems(404)},
    )
    def verify(certificate_id: str) -> Response:
        return json_response(desk.lookup(certificate_id))

    return router


def revoke_command(desk: CertificateDesk, ids: Iterable[str]) -> list[str]:
    """Lines saying what became of each id (KeyError for an unknown one)."""
    lines = []
    for cid in (text.strip().upper() for text in ids):
        lines.append(f"{cid}: revoked" if desk.revoke(cid) else f"{cid}: already revoked")
    return lines
