"""The last resort for a test that hangs: every stack printed and the test process ended.

pytest-timeout's watchdog is a Python thread: it cannot fire while a deadlocked thread holds
the interpreter lock. faulthandler's runs in C. It fires `MARGIN` seconds after the test's own
timeout (its `timeout` mark, else the `timeout` ini value), so that a test given longer than
the default (the build) is not ended while pytest-timeout would still let it run. Under xdist
the ended worker is reported with the test it was running, and a new one takes the rest.
"""

from __future__ import annotations

import faulthandler
import os
import sys
from collections.abc import Generator

import pytest

MARGIN = 120.0
STDERR = pytest.StashKey[int]()
"""A copy of the run's own standard error, which test output capture leaves alone."""


def pytest_configure(config: pytest.Config) -> None:
    try:
        fileno = sys.stderr.fileno()
    except (AttributeError, ValueError):  # xdist's workers replace sys.stderr
        assert sys.__stderr__ is not None
        fileno = sys.__stderr__.fileno()
    config.stash[STDERR] = os.dup(fileno)


def pytest_unconfigure(config: pytest.Config) -> None:
    faulthandler.cancel_dump_traceback_later()
    os.close(config.stash[STDERR])


def limit(item: pytest.Item) -> float:
    """Seconds after which the test's process is ended; 0 when the test has no timeout."""
    mark = item.get_closest_marker("timeout")
    seconds = None
    if mark is not None:
        seconds = mark.args[0] if mark.args else mark.kwargs.get("timeout")
    if seconds is None:
        seconds = item.config.getini("timeout") or 0
    seconds = float(seconds)
    return seconds + MARGIN if seconds > 0 else 0.0


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    seconds = limit(item)
    if seconds <= 0:
        return (yield)
    faulthandler.dump_traceback_later(seconds, file=item.config.stash[STDERR], exit=True)
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()
