"""The log check fails a test on an undeclared warning from our loggers, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parents[1]

SAMPLE_TESTS = """
import logging
import threading

import pytest

SYNC = logging.getLogger("desktop_app.sync.engine")


def test_an_undeclared_warning_fails():
    SYNC.warning("the disk is full")


def test_an_error_logged_on_another_thread_fails():
    server = logging.getLogger("reference_server.app")
    worker = threading.Thread(target=lambda: server.error("could not store the statement"))
    worker.start()
    worker.join()


@pytest.mark.expect_log("desktop_app.sync", "disk is full")
def test_a_declared_warning_passes():
    SYNC.warning("the disk is full")


def test_information_and_other_libraries_pass():
    SYNC.info("synced 3 courses")
    logging.getLogger("urllib3").warning("retrying")


@pytest.mark.expect_log("desktop_app.sync", "disk is full")
def test_a_declaration_nothing_logs_fails():
    pass
"""


def test_only_undeclared_warnings_and_unmet_declarations_fail(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    pytester.makeini("[pytest]\nmarkers =\n    expect_log(logger, text): a record the test logs\n")
    pytester.makepyfile(test_sample=SAMPLE_TESTS)
    result = pytester.runpytest_subprocess("-p", "plugins.logfail", "-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=3, failed=2, errors=1)
    for line in (
        "FAILED test_sample.py::test_an_undeclared_warning_fails - *",
        "FAILED test_sample.py::test_an_error_logged_on_another_thread_fails - *",
        "PASSED test_sample.py::test_a_declared_warning_passes",
        "PASSED test_sample.py::test_information_and_other_libraries_pass",
        "ERROR test_sample.py::test_a_declaration_nothing_logs_fails - *",
        "WARNING desktop_app.sync.engine: the disk is full",
        "ERROR reference_server.app: could not store the statement",
        "declared by @pytest.mark.expect_log, never logged: *",
    ):
        result.stdout.fnmatch_lines([line])
