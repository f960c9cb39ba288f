"""How `make pytest` shares the tests between its xdist workers (`-n 2 --dist loadgroup`).

A worker takes a whole test file at a time, so a module's shared server or LRS starts once
and a module runs in its own order. Tests of several files that must run in one process
share a group instead: `@pytest.mark.xdist_group("tour")`.

The longest units go first, so that the build or a walk of the whole window does not start
last and leave the other worker idle: the units holding a `slow` test, then the others by
their number of tests. Without xdist (`-p no:xdist`, or a run with no `-n`) nothing changes.
"""

from __future__ import annotations

from collections import Counter

import pytest
from xdist.scheduler import LoadScopeScheduling


def unit_of(nodeid: str) -> str:
    """The work unit of a test: its xdist group (the `@name` loadgroup appends), else its file."""
    if nodeid.rfind("@") > nodeid.rfind("]"):  # an "@" inside parameters names no group
        return nodeid.rpartition("@")[2]
    return nodeid.split("::", 1)[0]


class FileScheduling(LoadScopeScheduling):  # type: ignore[misc]
    """Work units by file or group, handed out in the order the collection put them."""

    def __init__(self, config: pytest.Config, log: object = None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False  # the collection already ordered the units

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)


def _grouped(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) and (
        config.getvalue("dist") == "loadgroup"
    )


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> FileScheduling | None:
    return FileScheduling(config, log) if config.getvalue("dist") == "loadgroup" else None


def _group_names(item: pytest.Item) -> list[str]:
    marks = item.iter_markers("xdist_group")
    return sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow units first, then the larger ones; a unit's own tests keep their order."""
    if not _grouped(config):
        return
    units = {item: "@".join(_group_names(item)) or item.nodeid.split("::")[0] for item in items}
    sizes = Counter(units.values())
    slow = {units[item] for item in items if item.get_closest_marker("slow")}
    first = {unit: index for index, unit in reversed(list(enumerate(units.values())))}
    items.sort(key=lambda item: (units[item] not in slow, -sizes[units[item]], first[units[item]]))
