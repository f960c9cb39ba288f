"""SHA-256 on a thread of its own, so that hashing a download overlaps reading and writing it.

hashlib lets go of the interpreter lock while it hashes a large buffer, so one buffer is hashed
while the next is read from the socket and written to disk. The buffers go round a fixed ring,
reader -> hasher -> reader: memory stays bounded, nothing is allocated per piece, and a reader
that gets ahead of the hasher waits for a free buffer.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from desktop_app.text import translate

BUFFER_BYTES = 256 * 1024  # 1 MiB buffers measured slower, hashed and written out of cache
BUFFERS = 4
HASHING_FAILED = translate(
    "downloads", "The download could not be checked on this computer; it will be tried again."
)


class HashingThread:
    """Feeds `digest` on a thread of its own, in the order the buffers are handed over.

    Used as a context manager: leaving the block hashes what was handed over and ends the
    thread, so `digest` is complete (and touched by this thread only) afterwards."""

    def __init__(self, digest: Any, name: str) -> None:
        self._digest = digest
        self._free: queue.Queue[memoryview] = queue.Queue()
        self._full: queue.Queue[tuple[memoryview, int] | None] = queue.Queue()
        for _ in range(BUFFERS):
            self._free.put(memoryview(bytearray(BUFFER_BYTES)))
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._failure: BaseException | None = None

    def __enter__(self) -> HashingThread:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._full.put(None)
        self._thread.join()
        if self._failure is not None and exc[0] is None:
            raise HashingFailed(HASHING_FAILED) from self._failure

    def free_buffer(self) -> memoryview:
        """A buffer to read into; waits while every buffer is still to be hashed. Raises
        HashingFailed once the hashing thread has failed, instead of waiting for it forever."""
        buffer = self._free.get()
        if self._failure is not None:
            self._free.put(buffer)  # for the next caller, who is told the same
            raise HashingFailed(HASHING_FAILED) from self._failure
        return buffer

    def update(self, buffer: memoryview, count: int) -> None:
        """Hash the first `count` bytes of `buffer`, which is not to be touched until it comes
        back from `free_buffer`."""
        self._full.put((buffer, count))

    def _run(self) -> None:
        while (item := self._full.get()) is not None:
            buffer, count = item
            try:
                self._digest.update(buffer[:count])
            except BaseException as error:  # MemoryError, say: the reader must not wait on
                self._failure = error
            self._free.put(buffer)


class HashingFailed(RuntimeError):
    """The hashing thread could not hash a piece: the download cannot be verified."""
