"""Fails a test when the app or the reference server logs a warning or an error it did not
expect (qutebrowser's `logfail`, for our loggers).

Qt's own warnings already fail a test through pytest-qt's `qt_log_level_fail`. A record at
WARNING or above from a `desktop_app` or `reference_server` logger is a problem too: it is
what the learner's log file would hold. One logged, on any thread, while a test sets up, runs
or tears down fails that phase of the test, with the records in the message.

A test that provokes such a record on purpose declares it, with the logger (or a parent of
it) and a part of the message; the mark may be repeated:

    @pytest.mark.expect_log("desktop_app.sync.engine", "could not reach")

A declared record must also be logged by the time the test has torn down (unless the test
failed first), so a declaration cannot outlive the behaviour it describes.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

WATCHED = ("desktop_app", "reference_server")
MARK = "expect_log"


@dataclass(frozen=True)
class Expected:
    """A record a test declared: its logger, or a parent of it, and a part of its message."""

    logger: str
    text: str

    def matches(self, record: logging.LogRecord) -> bool:
        named = record.name == self.logger or record.name.startswith(self.logger + ".")
        return named and self.text in record.getMessage()


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)  # one append: safe from any thread


@contextmanager
def _collecting() -> Iterator[list[logging.LogRecord]]:
    collector = _Collector()
    loggers = [logging.getLogger(name) for name in WATCHED]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        for logger in loggers:
            logger.removeHandler(collector)


_MET = pytest.StashKey[set[Expected]]()
_FAILED = pytest.StashKey[bool]()


def _expected(item: pytest.Item) -> list[Expected]:
    return [Expected(*mark.args) for mark in item.iter_markers(MARK)]


def _describe(record: logging.LogRecord) -> str:
    return f"{record.levelname} {record.name}: {record.getMessage()}"


def _check(item: pytest.Item, records: list[logging.LogRecord]) -> None:
    expected, met = _expected(item), item.stash.setdefault(_MET, set())
    unexpected = []
    for record in records:
        matching = [each for each in expected if each.matches(record)]
        met.update(matching)
        if not matching:
            unexpected.append(_describe(record))
    if unexpected:
        item.stash[_FAILED] = True
        pytest.fail(
            "logged without a matching @pytest.mark.expect_log:\n" + "\n".join(unexpected),
            pytrace=False,
        )


def _check_all_met(item: pytest.Item) -> None:
    missing = [each for each in _expected(item) if each not in item.stash.get(_MET, set())]
    if missing and not item.stash.get(_FAILED, False):
        pytest.fail(f"declared by @pytest.mark.expect_log, never logged: {missing}", pytrace=False)


def _watch(item: pytest.Item) -> Generator[None, object, object]:
    with _collecting() as records:
        try:
            result = yield
        except BaseException:
            item.stash[_FAILED] = True
            raise
    _check(item, records)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _watch(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _watch(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    result = yield from _watch(item)
    _check_all_met(item)
    return result
