"""multipart/mixed statement requests as xAPI 1.0.3 Part Three 1.5.2 describes them, and
reading the server's multipart replies."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

BOUNDARY = "abcABC0123'()+_,-./:=?"


@dataclass(frozen=True)
class Raw:
    """One attachment's content and the part headers to send it with."""

    content: bytes
    content_type: str = "text/plain"
    sha2: str = ""
    encoding: str | None = "binary"

    @property
    def digest(self) -> str:
        return self.sha2 or hashlib.sha256(self.content).hexdigest()


def attachment(raw: Raw, **changes: Any) -> dict[str, Any]:
    """The attachment object that describes `raw`."""
    described = {
        "usageType": "https://rounds.example/attachments/notes",
        "display": {"en-US": "Notes"},
        "contentType": raw.content_type,
        "length": len(raw.content),
        "sha2": raw.digest,
    }
    described.update(changes)
    return described


def multipart(body: Any, *raws: Raw, first_type: str = "application/json") -> tuple[bytes, str]:
    """The request body and its Content-Type header."""
    chunks = [
        f"--{BOUNDARY}\r\nContent-Type: {first_type}\r\n\r\n".encode(),
        json.dumps(body).encode(),
    ]
    for raw in raws:
        head = f"\r\n--{BOUNDARY}\r\nContent-Type: {raw.content_type}\r\n"
        if raw.encoding is not None:
            head += f"Content-Transfer-Encoding: {raw.encoding}\r\n"
        head += f"X-Experience-API-Hash: {raw.digest}\r\n\r\n"
        chunks += [head.encode(), raw.content]
    chunks.append(f"\r\n--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{BOUNDARY}"'


def read_multipart(body: bytes, content_type: str) -> list[tuple[dict[str, str], bytes]]:
    """(headers in lower case, content) of each part of a reply."""
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    assert found is not None, content_type
    delimiter = b"\r\n--" + found.group(1).encode()
    sections = (b"\r\n" + body).split(delimiter)
    assert sections[-1].startswith(b"--"), "no closing boundary"
    parts = []
    for section in sections[1:-1]:
        head, _, content = section[2:].partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts.append((headers, content))
    return parts
