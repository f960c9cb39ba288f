"""The hashing thread of a download: a failure there ends the download instead of hanging it."""

from __future__ import annotations

import hashlib
import threading

import pytest

from desktop_app.downloads.hashing import BUFFERS, HashingFailed, HashingThread

GIVE_UP_SECONDS = 60  # only ever reached if the reader hangs


class RunsOutOfMemory:
    """A digest that fails on its second piece, as hashlib would on MemoryError."""

    def __init__(self) -> None:
        self.pieces = 0

    def update(self, _data: memoryview) -> None:
        self.pieces += 1
        if self.pieces == 2:
            raise MemoryError


def read_pieces(hasher: HashingThread, count: int, failures: list[BaseException]) -> None:
    try:
        for _ in range(count):
            hasher.update(hasher.free_buffer(), 1024)
    except HashingFailed as error:
        failures.append(error)


def test_a_reader_is_told_once_the_hashing_thread_fails_instead_of_waiting_for_it() -> None:
    failures: list[BaseException] = []
    with pytest.raises(HashingFailed), HashingThread(RunsOutOfMemory(), "sha256-test") as hasher:
        reader = threading.Thread(target=read_pieces, args=(hasher, BUFFERS * 4, failures))
        reader.start()
        reader.join(GIVE_UP_SECONDS)
        assert not reader.is_alive()

    (failure,) = failures
    assert (
        str(failure)
        == "The download could not be checked on this computer; it will be tried again."
    )
    assert isinstance(failure.__cause__, MemoryError)


def test_every_piece_handed_over_is_hashed_in_order() -> None:
    digest = hashlib.sha256()
    data = bytes(range(256)) * 4096
    with HashingThread(digest, "sha256-test") as hasher:
        for start in range(0, len(data), 100_000):
            buffer = hasher.free_buffer()
            piece = data[start : start + 100_000]
            buffer[: len(piece)] = piece
            hasher.update(buffer, len(piece))

    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
