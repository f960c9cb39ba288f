"""How `make pytest` shares tests between xdist workers, and the watchdog that ends a hang."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parents[1]
RECORDING = """
import os
from pathlib import Path

import pytest


def record(name):
    with (Path(__file__).parent / "ran.txt").open("a") as log:
        log.write(f"{os.environ['PYTEST_XDIST_WORKER']} {name}\\n")
"""


@pytest.mark.timeout(300)
def test_a_file_or_a_group_runs_in_one_worker_and_slow_units_go_first(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    pytester.makeini("[pytest]\nmarkers =\n    slow: long\n")
    files = {f"test_many_{n}": [f"many_{n}_{i}" for i in range(4)] for n in range(3)}
    for name, tests in files.items():
        body = "".join(f"\n\ndef test_{test}():\n    record('{test}')\n" for test in tests)
        pytester.makepyfile(**{name: RECORDING + body})
    pytester.makepyfile(
        test_pair_a=RECORDING + "\n\n@pytest.mark.xdist_group('pair')\ndef test_a():\n"
        "    record('pair_a')\n",
        test_pair_b=RECORDING + "\n\n@pytest.mark.xdist_group('pair')\ndef test_b():\n"
        "    record('pair_b')\n",
        test_z_slow=RECORDING + "\n\n@pytest.mark.slow\ndef test_slow():\n    record('slow')\n",
    )
    arguments = ("-p", "plugins.workers", "-p", "no:cacheprovider", "-n", "2")
    result = pytester.runpytest_subprocess(*arguments, "--dist", "loadgroup")
    result.assert_outcomes(passed=15)
    ran = [line.split() for line in (pytester.path / "ran.txt").read_text().splitlines()]
    worker_of = {test: worker for worker, test in ran}
    for tests in files.values():
        assert len({worker_of[test] for test in tests}) == 1, ran
    assert worker_of["pair_a"] == worker_of["pair_b"], ran
    first_of_its_worker = next(test for worker, test in ran if worker == worker_of["slow"])
    assert first_of_its_worker == "slow", ran


WATCHED = """
import signal
import time
from pathlib import Path

import pytest


def hold(seconds):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # pytest-timeout cannot fire
    time.sleep(seconds)


@pytest.mark.timeout(8)
def test_given_longer_than_the_default():
    hold(3)
    (Path(__file__).parent / "finished").touch()


def test_hung():
    hold(60)
"""


@pytest.mark.timeout(300)
def test_the_watchdog_ends_a_hung_run_after_the_tests_own_timeout(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    pytester.makeini("[pytest]\ntimeout = 1\n")
    pytester.makeconftest("import plugins.watchdog\n\nplugins.watchdog.MARGIN = 1.0\n")
    pytester.makepyfile(test_watched=WATCHED)
    result = pytester.runpytest_subprocess("-p", "plugins.watchdog", "-p", "no:cacheprovider")
    assert result.ret != 0
    assert (pytester.path / "finished").exists()  # 3 s: past the default, within its own 8 s
    result.stderr.fnmatch_lines(["Timeout (0:00:02)!", "*in test_hung*"])
    assert result.duration < 50  # not the minute the hung test would have slept
