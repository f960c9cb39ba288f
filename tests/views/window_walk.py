"""One tour of the window (tests/tour.py) for every check that looks at all of its pages.

A check is a function of a stop's name and widget that returns the problems it finds there.
Test modules register theirs when imported (`CHECKS["keyboard"] = ...`); the first test that
asks for its check's problems walks the window once and runs every registered check at each
stop, in the order they were registered; the next test reads what its own check found. The
tests that share it are in one xdist group, so that under `make pytest` they share a process.

The walk runs inside the asking test, with that test's reference server, data folder and
keyring: it keeps only the problems, as text, and nothing of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from theme_faults import appearance_kept
from tour import Tour

from desktop_app.config import Settings
from desktop_app.gui.shell import Shell
from desktop_app.views.theme import apply_appearance
from reference_server.server import ReferenceServer

Check = Callable[[str, QWidget], list[str]]
CHECKS: dict[str, Check] = {}
"""The checks of the test modules imported so far, by name."""
WALK_TIMEOUT = 480
"""Seconds for the test that walks: every check at every stop, twice the slowest walk seen
(when seven other test runs loaded the two cores)."""


def shares_the_walk[F: Callable[..., object]](test: F) -> F:
    """Marks a test that reads the shared walk: slow (started first under `make pytest`), in
    the walk's xdist group, and given the time the whole walk takes."""
    group = pytest.mark.xdist_group("window-walk")
    for mark in (pytest.mark.slow, group, pytest.mark.timeout(WALK_TIMEOUT)):
        test = mark(test)
    return test


@dataclass
class SharedWalk:
    """What each check found on the stops of the one walk, and the stops it made."""

    found: dict[str, list[str]] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)

    def problems(self, check: str, app: QApplication, server: ReferenceServer) -> list[str]:
        """The problems `check` found, walking the window first when it has not been yet."""
        if check not in self.found:
            self._walk(app, server)
        return self.found[check]

    def _walk(self, app: QApplication, server: ReferenceServer) -> None:
        checks = dict(CHECKS)
        found: dict[str, list[str]] = {name: [] for name in checks}
        visited: list[str] = []
        with appearance_kept(app):
            apply_appearance(app, Settings(theme="light"))
            shell = Shell(app, demo_url=server.url)
            try:
                assert shell.start(None, None)
                for stop, widget in Tour(shell, server):
                    visited.append(stop)
                    for name, check in checks.items():
                        found[name] += check(stop, widget)
            finally:
                shell.close_window()
                apply_appearance(app, Settings(theme="light"))  # the follower told to stay
        self.found, self.visited = found, visited
