"""How `make pytest` shares the tests between its xdist workers (`-n 2 --dist loadgroup`).

A worker takes a whole test file at a time, so a module's shared server or LRS starts once
and a module runs in its own order. Tests of several files that must run in one process
share a group instead: `@pytest.mark.xdist_group("name")`.

The longest units go first, so that the build or a walk of the whole window does not start
last and leave the other worker idle: the units holding a `slow` test, then the others by
their number of tests. Without xdist (`-p no:xdist`, or a run with no `-n`) nothing changes.

xdist 3.8 tells its scheduler a test's group by appending `@name` to the test's id, which
pytest 9.2 no longer lets a plugin change. So the workers write each test's unit into a file
of the run instead (UNITS names its folder), and the scheduler reads it once all workers have
collected.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

UNITS = "ROUNDS_TEST_UNITS"
"""The environment variable naming the folder where workers write the units they collected."""


def unit_of(item: pytest.Item) -> str:
    """The test's xdist group, else its file."""
    marks = item.iter_markers("xdist_group")
    names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks})
    return "@" + "_".join(names) if names else item.nodeid.split("::", 1)[0]


class FileScheduling(LoadScopeScheduling):  # type: ignore[misc]
    """Work units by file or group, handed out in the order the workers collected them."""

    def __init__(self, config: pytest.Config, log: object = None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False  # the workers already ordered the units
        self.units: dict[str, str] = {}

    def schedule(self) -> None:
        if self.collection is None:
            self.units = _read_units()
        super().schedule()

    def _split_scope(self, nodeid: str) -> str:
        return self.units.get(nodeid) or nodeid.split("::", 1)[0]


def _read_units() -> dict[str, str]:
    folder = Path(os.environ[UNITS])
    for written in sorted(folder.glob("*.json")):  # every worker collected the same
        units = json.loads(written.read_text(encoding="utf-8"))
        assert isinstance(units, dict)
        return units
    return {}


def _controller(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) and (
        config.getvalue("dist") == "loadgroup"
    )


def _worker(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "loadgroup", False)) and UNITS in os.environ


def pytest_configure(config: pytest.Config) -> None:
    if _controller(config):  # before the workers start: they inherit the variable
        os.environ[UNITS] = tempfile.mkdtemp(prefix="rounds-test-units-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _controller(config):
        shutil.rmtree(os.environ.pop(UNITS), ignore_errors=True)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> FileScheduling | None:
    return FileScheduling(config, log) if _controller(config) else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow units first, then the larger ones, a unit's own tests in their order; the units
    written for the scheduler."""
    if not _worker(config):
        return
    units = {item: unit_of(item) for item in items}
    sizes = Counter(units.values())
    slow = {units[item] for item in items if item.get_closest_marker("slow")}
    first = {unit: index for index, unit in reversed(list(enumerate(units.values())))}
    items.sort(key=lambda item: (units[item] not in slow, -sizes[units[item]], first[units[item]]))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "worker")
    written = Path(os.environ[UNITS]) / f"{worker}.json"
    text = json.dumps({item.nodeid: units[item] for item in items})
    partial = written.with_suffix(".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(written)
