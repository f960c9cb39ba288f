"""The peers known to this computer: the addresses of other Rounds sharing their downloads.

Discovery adds and removes peers as they come and go on the network (tests give the list
directly). Peers are asked only while fetching from them is on (`Settings.fetch_from_peers`);
while it is off the list reads as empty and the search for peers is not begun. A peer that sent
a file which then failed verification, or sent below the rate floor (`source.RateFloor`), is
marked bad and not asked again while this list lives (the window's run), whatever discovery
says about it later.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable


class PeerList:
    """Thread-safe: discovery writes it, the download workers read it.

    `fetching`: whether files are fetched from peers at all (tests give the list with it on)."""

    def __init__(self, urls: Iterable[str] = (), *, fetching: bool = True) -> None:
        self._lock = threading.Lock()
        self._urls: dict[str, None] = dict.fromkeys(urls)  # ordered: first found, first asked
        self._bad: set[str] = set()
        self._fetching = fetching
        self._begin: Callable[[], None] | None = None
        self._begun = False

    @property
    def fetching(self) -> bool:
        return self._fetching

    def when_first_asked(self, begin: Callable[[], None]) -> None:
        """Call `begin` (which starts looking for peers) the first time the list is read while
        fetching is on, and again the first time after fetching was turned off and on."""
        with self._lock:
            self._begin, self._begun = begin, False

    def set_fetching(self, on: bool) -> None:
        """Turn fetching from peers on or off (off: discovery is stopped by its owner)."""
        with self._lock:
            self._fetching = on
            if not on:
                self._begun = False

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
        """The peers to ask, in the order they were found; the bad ones left out; none while
        fetching is off."""
        with self._lock:
            if not self._fetching:
                return []
            begin = None if self._begun else self._begin
            self._begun = True
        if begin is not None:
            begin()
        with self._lock:
            return [url for url in self._urls if url not in self._bad]

    def is_bad(self, url: str) -> bool:
        with self._lock:
            return url in self._bad
