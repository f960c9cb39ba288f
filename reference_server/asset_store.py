"""Content-addressed files: each asset is stored once, named by its SHA-256."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MIME_BY_SUFFIX = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".vtt": "text/vtt",
    ".md": "text/markdown",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def mime_type_for(name: str) -> str:
    suffix = Path(name).suffix.lower()
    guessed = _MIME_BY_SUFFIX.get(suffix) or mimetypes.guess_type(name)[0]
    return guessed or "application/octet-stream"


def is_sha256(text: str) -> bool:
    return _SHA256.fullmatch(text) is not None


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class AssetStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256

    def add_file(self, source: Path) -> StoredFile:
        with open(source, "rb") as handle:
            return self._add_stream(handle)

    def add_bytes(self, data: bytes) -> StoredFile:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.root / sha256
        if not target.exists():
            self._write_atomically(target, data)
        return StoredFile(sha256, len(data))

    def _add_stream(self, handle: BinaryIO) -> StoredFile:
        digest, size = hashlib.sha256(), 0
        descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            os.replace(temporary, self.root / digest.hexdigest())
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return StoredFile(digest.hexdigest(), size)

    def _write_atomically(self, target: Path, data: bytes) -> None:
        descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
