"""Statement attachments (xAPI 1.0.3 Part Three 1.5.2 and Part Two 2.4.11): multipart/mixed
requests and replies, the raw parts matched to attachments by sha2, and where parts are kept.

A request's first part is the statement (or batch) as application/json; each further part is
one attachment's raw content with `X-Experience-API-Hash` (its SHA-2) and
`Content-Transfer-Encoding: binary`. The statement store keeps each part's content once, by
its hash, in the same transaction as the statements."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reference_server.problems import ProblemError
from reference_server.xapi_signature import (
    SIGNATURE_TYPE,
    SIGNATURE_USAGE,
    SignatureError,
    verify_signature,
)

_SHA2 = re.compile(r"[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128}")
_ALGORITHMS = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}
_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)


def _bad(detail: str) -> ProblemError:
    return ProblemError(400, detail=detail)


def media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def is_sha2(text: object) -> bool:
    return isinstance(text, str) and _SHA2.fullmatch(text.lower()) is not None


def sha2_of(content: bytes, like: str) -> str:
    """The SHA-2 of `content` with the digest size of the hash `like`."""
    return _ALGORITHMS[len(like)](content).hexdigest()


@dataclass(frozen=True)
class Part:
    headers: Mapping[str, str]  # names in lower case
    content: bytes

    @property
    def content_type(self) -> str:
        return media_type(self.headers.get("content-type"))


def _headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.decode("latin-1").split("\r\n"):
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise _bad("A multipart part has a malformed header line.")
        headers[name.strip().lower()] = value.strip()
    return headers


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """The parts of a multipart/mixed body (CRLF line breaks, as RFC 2046 has them)."""
    found = _BOUNDARY.search(content_type)
    if found is None:
        raise _bad("multipart/mixed needs a boundary parameter.")
    delimiter = b"\r\n--" + (found.group(1) or found.group(2)).encode("latin-1")
    sections = (b"\r\n" + body).split(delimiter)
    if len(sections) < 3 or not sections[-1].startswith(b"--"):
        raise _bad("The multipart body has no parts or no closing boundary.")
    parts = []
    for section in sections[1:-1]:
        line_end = section.find(b"\r\n")
        if line_end < 0 or section[:line_end].strip(b" \t"):
            raise _bad("A multipart boundary line is malformed.")
        head, blank, content = section[line_end + 2 :].partition(b"\r\n\r\n")
        if not blank:
            if not section[line_end + 2 :].startswith(b"\r\n"):
                raise _bad("A multipart part has no blank line after its headers.")
            head, content = b"", section[line_end + 4 :]
        parts.append(Part(_headers(head) if head else {}, content))
    return parts


def raw_parts(parts: list[Part]) -> tuple[bytes, dict[str, Part]]:
    """The statement part's JSON and the attachment parts by their (checked) hash."""
    if not parts or parts[0].content_type != "application/json":
        raise _bad("The first multipart part must be the statement, as application/json.")
    by_hash: dict[str, Part] = {}
    for part in parts[1:]:
        declared = part.headers.get("x-experience-api-hash", "").lower()
        if not is_sha2(declared):
            raise _bad("Each attachment part needs X-Experience-API-Hash with its SHA-2.")
        if part.headers.get("content-transfer-encoding", "").lower() != "binary":
            raise _bad("Each attachment part needs Content-Transfer-Encoding: binary.")
        if sha2_of(part.content, declared) != declared:
            raise _bad(f"The attachment part {declared} does not have that hash.")
        by_hash[declared] = part
    return parts[0].content, by_hash


def _metadata(attachment: Any, where: str) -> tuple[str, str, int]:
    if not isinstance(attachment, dict):
        raise _bad(f"{where} must be an object.")
    sha2, length, content_type = (
        attachment.get("sha2"),
        attachment.get("length"),
        attachment.get("contentType"),
    )
    if not is_sha2(sha2):
        raise _bad(f"{where}.sha2 must be a SHA-2 hex digest.")
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:
        raise _bad(f"{where}.length must be a non-negative integer.")
    if not isinstance(content_type, str) or "/" not in content_type:
        raise _bad(f"{where}.contentType must be an Internet Media Type.")
    assert isinstance(sha2, str)
    return sha2.lower(), content_type, length


def _check_part(part: Part, content_type: str, length: int, where: str) -> None:
    if len(part.content) != length:
        raise _bad(f"{where}.length is {length}, its part has {len(part.content)} bytes.")
    if part.content_type and part.content_type != media_type(content_type):
        raise _bad(f"{where}.contentType differs from its part's Content-Type.")


def check_attachments(statements: Iterable[dict[str, Any]], parts: Mapping[str, Part]) -> None:
    """Every attachment without a fileUrl has its raw content in the request, each part
    belongs to an attachment, and signatures sign their statements."""
    used: set[str] = set()
    for number, statement in enumerate(statements):
        for index, attachment in enumerate(statement.get("attachments", [])):
            where = f"statement[{number}].attachments[{index}]"
            sha2, content_type, length = _metadata(attachment, where)
            part = parts.get(sha2)
            used.add(sha2)
            if part is not None:
                _check_part(part, content_type, length, where)
            elif "fileUrl" not in attachment:
                raise _bad(f"{where} has neither a fileUrl nor a part with sha2 {sha2}.")
            if attachment.get("usageType") == SIGNATURE_USAGE:
                _check_signature(statement, part, content_type, where)
    extra = set(parts) - used
    if extra:
        raise _bad(f"Parts no attachment names: {', '.join(sorted(extra))}.")


def _check_signature(
    statement: dict[str, Any], part: Part | None, content_type: str, where: str
) -> None:
    if media_type(content_type) != SIGNATURE_TYPE:
        raise _bad(f"{where}: a signature's contentType must be {SIGNATURE_TYPE}.")
    if part is None:
        raise _bad(f"{where}: the signature must be sent as a part.")
    try:
        verify_signature(statement, part.content)
    except SignatureError as error:
        raise _bad(f"{where}: {error}.") from None


def wanted_parts(statements: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(sha2, contentType) of each distinct attachment with raw content, in statement order."""
    seen: dict[str, str] = {}
    for statement in statements:
        for attachment in statement.get("attachments", []):
            if isinstance(attachment, dict) and is_sha2(attachment.get("sha2")):
                content_type = " ".join(str(attachment.get("contentType")).split())
                seen.setdefault(attachment["sha2"].lower(), content_type)
    return list(seen.items())


def multipart_body(json_text: str, parts: Iterable[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/mixed body: the JSON first, then each (sha2, contentType, content)."""
    boundary = secrets.token_hex(16)
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json_text.encode(),
    ]
    for sha2, content_type, content in parts:
        head = (
            f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
        )
        chunks += [head.encode("latin-1", "replace"), content]
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'
