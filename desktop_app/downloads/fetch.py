"""Fetching one content-addressed file: partial file, Range resume, SHA-256, fsync, rename.

The file grows in the store's partial folder. A resumed download first hashes the bytes it
already has, asks for the rest with `Range: bytes=N-` and `If-Range: "<sha256>"`, and starts
over if the server answers 200 instead of 206. Only a file whose SHA-256 matches is fsync'd and
renamed into the store, so a damaged or truncated file is never there to be shown or played.
The body is read from the socket into a few reused buffers, each piece written as it came and
hashed on a second thread (`HashingThread`) while the next one is read.
The partial file is written only under its lock (`ContentStore.holding_partial`), so the window
and a headless command never fetch the same file at once: the second is told `BusyElsewhere`.
A full disk or quota (ENOSPC, EDQUOT) keeps the partial file and says how much more room the
rest of the file needs, and where.
A captive portal's sign-in page in place of the file is refused by the source
(`CaptivePortalError`) before anything is written to the partial file or cut from it.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from desktop_app.api.errors import ProblemError
from desktop_app.atomic_file import sync_folder
from desktop_app.content_store import ContentStore
from desktop_app.downloads.hashing import HashingFailed, HashingThread
from desktop_app.downloads.units import format_bytes
from desktop_app.file_lock import LockHeld
from desktop_app.text import translate

HASH_CHUNK = 1024 * 1024
BUSY_ELSEWHERE = translate("downloads", "Another Rounds is downloading the file {file}.")
DISK_FULL = translate("downloads", "Not enough disk space in {folder}: {size} more are needed.")
CANNOT_CONTINUE = translate("downloads", "The server could not continue the partial file.")
WRONG_PART = translate("downloads", "The server sent a different part of the file than asked for.")
BROKE_OFF = translate("downloads", "The connection broke off during the download.")
CLOSED_EARLY = translate("downloads", "The connection closed after {received} of {size} bytes.")
CHECKSUM_MISMATCH = translate(
    "downloads",
    "The downloaded file does not match its checksum ({received} bytes received).",
)


class AssetStream(Protocol):
    """What `ApiClient.open_asset_stream` returns (`desktop_app.api.deadline.TimedStream`)."""

    status_code: int
    headers: Any

    def readinto(self, buffer: memoryview) -> int:
        """Fill the start of `buffer` with what the next read brings; 0 at the end."""
        ...

    def close(self) -> None: ...


class AssetSource(Protocol):
    """Where files come from: `desktop_app.api.ApiClient` in the app."""

    def open_asset_stream(
        self, sha256: str, start_byte: int = 0, etag: str | None = None
    ) -> AssetStream: ...


class DownloadStopped(Exception):
    """The download was asked to stop (pause, cancel or shutdown); the partial file is kept."""


class TransferError(Exception):
    """The connection broke or the server answered oddly; worth trying again."""


class VerificationError(Exception):
    """The bytes do not match the SHA-256 they were asked for; the partial file is deleted."""


class BusyElsewhere(Exception):
    """Another Rounds (the window or a headless command) is downloading this file; once it
    has finished, the file is in the store and there is nothing left to fetch."""

    def __init__(self, sha256: str) -> None:
        super().__init__(BUSY_ELSEWHERE.format(file=sha256[:12]))


class DiskFullError(Exception):
    """The disk (or the user's quota) filled up while the file was written; the partial file is
    kept, so the download continues where it stopped once there is room."""

    def __init__(self, folder: Path, needed: int) -> None:
        self.message = DISK_FULL.format(folder=str(folder), size=format_bytes(needed))
        super().__init__(self.message)
        self.folder, self.needed = folder, needed


NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


@dataclass(frozen=True)
class FetchResult:
    sha256: str
    size: int
    resumed_from: int  # 0 for a fresh download
    restarted: bool  # the server sent the whole file although a range was asked for


@dataclass
class _Partial:
    path: Path
    digest: Any
    offset: int


def fetch_asset(
    source: AssetSource,
    store: ContentStore,
    sha256: str,
    size: int,
    *,
    should_stop: Callable[[], bool],
    on_bytes: Callable[[int], None],
) -> FetchResult:
    """Bring `sha256` (of `size` bytes) into `store`; `on_bytes` hears the bytes on disk.

    A process that held the partial file's lock before may have finished the file meanwhile,
    and then there is nothing to fetch."""
    with _holding_partial(store, sha256, size):
        if store.has(sha256):
            on_bytes(size)
            return FetchResult(sha256, size, 0, False)
        partial = _open_partial(store, sha256, size)
        on_bytes(partial.offset)
        resumed_from, restarted = partial.offset, False
        if partial.offset < size:
            restarted = _download_rest(source, sha256, size, partial, should_stop, on_bytes)
        _verify(partial, sha256, size)
        _move_into_store(partial.path, store.path_for(sha256))
        return FetchResult(sha256, size, resumed_from, restarted)


@contextmanager
def _holding_partial(store: ContentStore, sha256: str, size: int) -> Iterator[None]:
    """The partial file's lock across processes, with a full disk and a lock held elsewhere
    turned into the errors the queue understands."""
    try:
        with store.holding_partial(sha256):
            yield
    except LockHeld as error:
        raise BusyElsewhere(sha256) from error
    except OSError as error:
        if error.errno not in NO_SPACE:
            raise
        needed = max(size - store.partial_size(sha256), 1)  # a refused write lacked at least 1 B
        raise DiskFullError(store.root, needed) from error


def _open_partial(store: ContentStore, sha256: str, size: int) -> _Partial:
    """The partial file with its bytes hashed; one longer than the file is thrown away."""
    path = store.partial_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    if store.partial_size(sha256) > size:
        path.unlink()
    offset = 0
    if path.exists():
        with open(path, "rb") as handle:
            while chunk := handle.read(HASH_CHUNK):
                digest.update(chunk)
                offset += len(chunk)
    return _Partial(path, digest, offset)


def _download_rest(
    source: AssetSource,
    sha256: str,
    size: int,
    partial: _Partial,
    should_stop: Callable[[], bool],
    on_bytes: Callable[[int], None],
) -> bool:
    """Append the missing bytes; True if the server sent the whole file again."""
    response = _open(source, sha256, partial)
    try:
        restarted = _restart_if_whole(response, partial)
        with open(partial.path, "ab") as out:
            _copy(response, out, partial, size, should_stop, on_bytes)
            out.flush()
            os.fsync(out.fileno())
    finally:
        response.close()
    return restarted


def _open(source: AssetSource, sha256: str, partial: _Partial) -> AssetStream:
    etag = f'"{sha256}"' if partial.offset else None
    try:
        return source.open_asset_stream(sha256, partial.offset, etag)
    except ProblemError as error:
        if error.status == 416:  # the partial file is not a prefix the server can continue
            partial.path.unlink(missing_ok=True)
            raise TransferError(CANNOT_CONTINUE) from error
        raise


def _restart_if_whole(response: AssetStream, partial: _Partial) -> bool:
    if partial.offset == 0:
        return False
    if response.status_code == 206 and _range_start(response) == partial.offset:
        return False
    if response.status_code == 206:
        partial.path.unlink(missing_ok=True)
        raise TransferError(WRONG_PART)
    partial.path.write_bytes(b"")
    partial.digest, partial.offset = hashlib.sha256(), 0
    return True


def _range_start(response: AssetStream) -> int | None:
    unit, _, spec = str(response.headers.get("Content-Range", "")).partition(" ")
    first = spec.partition("-")[0]
    return int(first) if unit == "bytes" and first.isdigit() else None


def _copy(
    response: AssetStream,
    out: BinaryIO,
    partial: _Partial,
    size: int,
    should_stop: Callable[[], bool],
    on_bytes: Callable[[int], None],
) -> None:
    try:
        with HashingThread(partial.digest, f"sha256-{partial.path.stem[:12]}") as hasher:
            while _next_piece(response, out, hasher, partial, size, should_stop):
                on_bytes(partial.offset)
    except HashingFailed as error:
        raise TransferError(error.args[0] if error.args else str(error)) from error
    except Exception as error:
        if not _broke_off(error):
            raise
        raise TransferError(BROKE_OFF) from error
    if partial.offset < size:
        raise TransferError(CLOSED_EARLY.format(received=partial.offset, size=size))


def _broke_off(error: Exception) -> bool:
    """Whether the connection failed under the body: the network's failures are told apart
    where the stream that raised them was loaded, with requests (`desktop_app.api.failures`)."""
    from desktop_app.api.failures import transfer_broke

    return transfer_broke(error)


def _next_piece(
    response: AssetStream,
    out: BinaryIO,
    hasher: HashingThread,
    partial: _Partial,
    size: int,
    should_stop: Callable[[], bool],
) -> bool:
    """Read, write and hand to the hasher the next piece of the body; False at its end, or
    once there is a byte more than `size` (enough to refuse the file)."""
    if partial.offset > size:
        return False
    buffer = hasher.free_buffer()
    count = response.readinto(buffer)
    if not count:
        return False
    if should_stop():
        raise DownloadStopped
    out.write(buffer[:count])
    hasher.update(buffer, count)
    partial.offset += count
    return True


def _verify(partial: _Partial, sha256: str, size: int) -> None:
    if partial.offset != size or partial.digest.hexdigest() != sha256:
        partial.path.unlink(missing_ok=True)
        raise VerificationError(CHECKSUM_MISMATCH.format(received=partial.offset))


def _move_into_store(partial: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, target)
    sync_folder(target.parent)
