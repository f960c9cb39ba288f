"""The peers known to this computer: the addresses of other Rounds sharing their downloads.

Discovery adds and removes peers as they come and go on the network (tests give the list
directly). A peer that sent a file which then failed verification is marked bad and not asked
again while this list lives (the window's run), whatever discovery says about it later.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable


class PeerList:
    """Thread-safe: discovery writes it, the download workers read it."""

    def __init__(self, urls: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._urls: dict[str, None] = dict.fromkeys(urls)  # ordered: first found, first asked
        self._bad: set[str] = set()
        self._first_asked: Callable[[], None] | None = None

    def when_first_asked(self, begin: Callable[[], None]) -> None:
        """Call `begin` (which starts looking for peers) the first time the list is read."""
        with self._lock:
            self._first_asked = begin

    def add(self, url: str) -> None:
        with self._lock:
            self._urls.setdefault(url, None)

    def remove(self, url: str) -> None:
        with self._lock:
            self._urls.pop(url, None)

    def mark_bad(self, url: str) -> None:
        with self._lock:
            self._bad.add(url)

    def usable(self) -> list[str]:
        """The peers to ask, in the order they were found; the bad ones left out."""
        with self._lock:
            begin, self._first_asked = self._first_asked, None
        if begin is not None:
            begin()
        with self._lock:
            return [url for url in self._urls if url not in self._bad]

    def is_bad(self, url: str) -> bool:
        with self._lock:
            return url in self._bad
