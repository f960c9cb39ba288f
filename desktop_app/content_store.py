"""The content-addressed store of downloaded lesson files.

A file lives at `<root>/<first two hex digits>/<sha256>` only once it has been verified; while
it downloads it is `<root>/partial/<sha256>.part`. One copy per SHA-256, however many courses
refer to it.

The store is shared by every process of the user (the window and the headless commands), so a
partial file is written or deleted only under its lock (`<sha256>.lock` beside it): a process
that finds the lock held leaves the file to the holder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desktop_app.atomic_file import sync_folder
from desktop_app.file_lock import LockHeld, exclusive_lock

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_sha256(value: str) -> bool:
    return bool(_SHA256.match(value))


@dataclass(frozen=True)
class ContentStore:
    root: Path

    def path_for(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    @property
    def partial_folder(self) -> Path:
        """Where files grow before they are verified; on the store's file system."""
        return self.root / "partial"

    def partial_path(self, sha256: str) -> Path:
        return self.path_for(sha256).parent.parent / "partial" / f"{sha256}.part"

    @contextmanager
    def holding_partial(self, sha256: str) -> Iterator[Path]:
        """The partial file's path, for this process alone during the block; LockHeld at once
        if another process (or another handle here) is writing it."""
        partial = self.partial_path(sha256)
        with exclusive_lock(partial.with_suffix(".lock")):
            yield partial

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def present(self, digests: set[str]) -> set[str]:
        """Which of `digests` are in the store (one directory listing per prefix)."""
        found: set[str] = set()
        by_prefix: dict[str, set[str]] = {}
        for digest in digests:
            if is_sha256(digest):
                by_prefix.setdefault(digest[:2], set()).add(digest)
        for prefix, wanted in by_prefix.items():
            folder = self.root / prefix
            if folder.is_dir():
                found |= wanted & {entry.name for entry in folder.iterdir()}
        return found

    def stored(self) -> set[str]:
        """Every digest in the store: a listing of what was downloaded, which a catalog of any
        size can be counted against in SQL (`present` would check each digest it is given)."""
        folders = self.root.iterdir() if self.root.is_dir() else iter(())
        return {
            entry.name
            for folder in folders
            if len(folder.name) == 2 and folder.is_dir()
            for entry in folder.iterdir()
            if is_sha256(entry.name)
        }

    def place(self, sha256: str, verified: Path) -> None:
        """Move `verified`, a file already checked to be `sha256`, into the store: one rename
        on the store's file system (stage it in `partial_folder`), whole or not."""
        target = self.path_for(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(verified, target)
        sync_folder(target.parent)

    def remove(self, sha256: str) -> int:
        """Delete a stored file; returns the bytes freed."""
        return _unlink(self.path_for(sha256))

    def partial_size(self, sha256: str) -> int:
        """Bytes already in the partial file of `sha256` (0 if there is none)."""
        try:
            return self.partial_path(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    def remove_partial(self, sha256: str) -> int:
        """Delete the partial file of `sha256`; returns the bytes freed (0 if there is none, or
        if another process is writing it: it is that process's to keep or delete)."""
        if not self.partial_path(sha256).exists():
            return 0
        try:
            with self.holding_partial(sha256) as partial:
                return _unlink(partial)
        except LockHeld:
            return 0

    def release(self, digests: Iterable[str]) -> int:
        """Delete the stored and partial files of `digests`; returns the bytes freed.

        Callers decide that nothing still needs these files (see `desktop_app.downloads`)."""
        return sum(self.remove(d) + self.remove_partial(d) for d in digests if is_sha256(d))


def _unlink(path: Path) -> int:
    """Delete `path` if it is there; returns its size (0 if it was not)."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return 0
    return size
