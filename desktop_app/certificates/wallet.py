"""The learner's certificates, kept in the account's folder with what verifies them offline:
the server's public keys (current and earlier, from `GET /api/v1/badge-key`) and its signed
revocation lists. Refreshed while online (at every sync); read without the network. A course
the server refused to certify is remembered with why (`refusals`) and asked for again only once
that could have changed.

Signatures are checked when a certificate is used, not at the sync, which so never loads the
cryptography library. The last few revocation lists received are kept, newest first, and the
newest whose signature holds is the one used: a list altered on the way (by a proxy, say)
cannot empty it. A damaged file reads as nothing kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from desktop_app.api.errors import ApiError, BadPayloadError, OfflineError, ProblemError
from desktop_app.atomic_file import write_json_atomically
from desktop_app.certificates.refusals import (
    REFUSING_STATUSES,
    Refusal,
    completions,
    read_refusals,
)
from desktop_app.certificates.token import (
    Certificate,
    CertificateInvalid,
    Revocation,
    read_certificate,
    verified_revocations,
    verify_certificate,
)
from desktop_app.text import translate

if TYPE_CHECKING:
    from desktop_app.api.client import ApiClient
    from desktop_app.db import Database

log = logging.getLogger(__name__)

WALLET_FILE = "certificates.json"
REVOCATION_LISTS_KEPT = 3
NOT_YET = translate(
    "certificates",
    "No certificate for this course yet: complete it, then sync while online to receive it.",
)
REFUSED = translate(
    "certificates", "The server did not issue a certificate for this course: {reason}"
)


@dataclass(frozen=True)
class Kept:
    """What the wallet file holds."""

    keys: tuple[str, ...] = ()
    revocations: tuple[str, ...] = ()  # signed lists received, newest first
    tokens: dict[str, str] = field(default_factory=dict)  # course id -> token
    refusals: dict[str, Refusal] = field(default_factory=dict)  # course id -> the last refusal


def completed_courses(db: Database) -> dict[str, str]:
    """The courses the learner's own log shows complete (the server judges again), each with
    its completion as `refusals.completions` states it."""
    from desktop_app.progress.overview import LearnerProgress

    rows = LearnerProgress(db).overview().courses
    return completions(db, [row.course_id for row in rows if row.completed_at])


def read_kept(folder: Path) -> Kept:
    try:
        document = json.loads((folder / WALLET_FILE).read_text(encoding="utf-8"))
        keys = tuple(str(key) for key in document.get("keys", []))
        tokens = {str(k): str(v) for k, v in dict(document.get("tokens", {})).items()}
        lists = tuple(str(token) for token in document.get("revocations", []))
        return Kept(keys, lists, tokens, read_refusals(document.get("refused")))
    except (OSError, ValueError, TypeError, AttributeError):
        return Kept()


def _write(folder: Path, kept: Kept) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "keys": list(kept.keys),
        "revocations": list(kept.revocations),
        "tokens": kept.tokens,
        "refused": {course: refusal.to_json() for course, refusal in kept.refusals.items()},
    }
    write_json_atomically(folder / WALLET_FILE, document)


def kept_revocations(kept: Kept) -> tuple[Revocation, ...]:
    """The newest kept revocation list whose signature holds (none kept: nothing revoked)."""
    for token in kept.revocations:
        try:
            return verified_revocations(token, kept.keys)
        except CertificateInvalid:
            log.warning("a kept revocation list does not verify; it is left out")
    return ()


class Wallet:
    """One account's certificates."""

    def __init__(self, folder: Path, clock: Callable[[], datetime] | None = None) -> None:
        self._folder = folder
        self._clock = clock or (lambda: datetime.now(UTC))

    def kept(self) -> Kept:
        return read_kept(self._folder)

    def verify(self, token: str) -> Certificate:
        """Verify any certificate token offline, with the kept keys and revocation list."""
        kept = self.kept()
        return verify_certificate(token, kept.keys, kept_revocations(kept))

    def certificate_for(self, course_id: str) -> Certificate:
        """The kept certificate of a course, verified; CertificateInvalid or LookupError."""
        kept = self.kept()
        token = kept.tokens.get(course_id)
        if token is None:
            refusal = kept.refusals.get(course_id)
            if refusal is not None and refusal.reason:
                raise LookupError(REFUSED.format(reason=refusal.reason))
            raise LookupError(NOT_YET.format())
        return self.verify(token)

    def refresh(self, api: ApiClient, completed: Mapping[str, str]) -> int:
        """Fetch the keys and revocation list, and the certificates of completed courses
        (id -> completion, from `completed_courses`) not kept yet, but for those whose last
        refusal still stands; returns how many new ones came. Offline raises OfflineError."""
        kept = self.kept()
        keys = _fetch_keys(api) or kept.keys
        revocations = kept.revocations
        received = _fetch_revocations(api)
        if received and received not in revocations:
            revocations = (received, *revocations)[:REVOCATION_LISTS_KEPT]
        tokens, refusals = dict(kept.tokens), _still_asked(kept.refusals, completed)
        now = self._clock()
        for course_id in sorted(set(completed) - set(tokens)):
            refusal = refusals.get(course_id)
            if refusal is not None and refusal.stands(completed[course_id], now):
                continue
            answer = _ask(api, course_id)
            if isinstance(answer, ProblemError):
                refusals[course_id] = Refusal.of(answer, completed[course_id], now)
            elif answer:
                tokens[course_id] = answer
                refusals.pop(course_id, None)
        fresh = Kept(tuple(keys), revocations, tokens, refusals)
        if fresh != kept:
            _write(self._folder, fresh)
        return len(tokens) - len(kept.tokens)


def _fetch_keys(api: ApiClient) -> tuple[str, ...]:
    reply = api.transport.request_json("GET", "/api/v1/badge-key", authenticated=False)
    if not isinstance(reply, dict) or reply.get("algorithm") != "Ed25519":
        raise BadPayloadError("the server's signing key is not an Ed25519 key")
    earlier = reply.get("earlier_public_keys") or []
    keys = [reply.get("public_key"), *(earlier if isinstance(earlier, list) else [])]
    return tuple(key for key in keys if isinstance(key, str))


def _fetch_revocations(api: ApiClient) -> str:
    """The signed list as received (checked when used), else "" (the kept ones stay)."""
    try:
        reply: Any = api.transport.request_json(
            "GET", "/api/v1/certificates/revoked", authenticated=False
        )
        return str(reply["token"])
    except OfflineError:
        raise
    except ApiError as error:  # asked again at the next sync
        log.info("the revocation list was not fetched: %s", error)
    except (KeyError, TypeError) as error:
        log.warning("the revocation list from the server holds no token: %s", error)
    return ""


def _still_asked(
    refusals: Mapping[str, Refusal], completed: Mapping[str, str]
) -> dict[str, Refusal]:
    """The refusals of courses still complete here (the others are not asked for)."""
    return {course: refusal for course, refusal in refusals.items() if course in completed}


def _ask(api: ApiClient, course_id: str) -> str | ProblemError:
    """The course's certificate token if the server issues one for it (its signature is
    checked when it is used), the server's refusal, or "" for a reply not taken."""
    path = f"/api/v1/courses/{quote(course_id, safe='')}/certificate"
    try:
        reply: Any = api.transport.request_json("POST", path)
        token = str(reply["token"])
        certificate = read_certificate(token)
    except ProblemError as problem:
        if problem.status not in REFUSING_STATUSES:
            raise
        log.info("no certificate for %s yet: %s", course_id, problem)
        return problem
    except (CertificateInvalid, KeyError, TypeError) as error:
        log.warning("the certificate of %s was not taken: %s", course_id, error)
        return ""
    return token if certificate.course_id == course_id else ""
