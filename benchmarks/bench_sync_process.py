"""What the window pays for syncing in a child process (`desktop_app.sync_process`).

The demo learner's account on the reference server (sample curriculum, its own process on
loopback), synced once; then no-change syncs, alternating: ours = the window's sync in a child
process (an interpreter starting, the sync's modules loading, the account opened with the
window's tokens), peer = `Study.sync` in this process, as the window ran it before. Wall time,
which is what the learner waits after "Sync now"; the child's start is the difference.
Reported, not a target: the child keeps the idle window small and its parsing off the window's
interpreter lock, and a periodic sync is not waited for.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.pairs import alternate, paired_figure
from benchmarks.server_process import server_process
from benchmarks.table import Figure

TIMEOUT_SECONDS = 300
ROUNDS = 5
USER, PASSWORD = "ana", "rounds-demo"


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rounds-bench-sync-process-") as folder:
        root = Path(folder)
        os.environ["ROUNDS_HOME"] = str(root / "home")  # the child process reads it too
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # memory only
        with _server(root / "server") as url:
            return [_measure(url, root)]


def _measure(url: str, root: Path) -> Figure:
    from desktop_app.account import Account
    from desktop_app.content_store import ContentStore
    from desktop_app.study import Study
    from desktop_app.sync_process import sync_in_child

    account = Account.sign_in(url, USER, PASSWORD)
    study = Study(account, ContentStore(root / "content"))
    try:
        if not study.sync().changed:
            raise RuntimeError("the first sync brought nothing")

        def child(_n: int) -> float:
            started = time.perf_counter()
            if sync_in_child(study, lambda _pages, _items: None, threading.Event()).changed:
                raise RuntimeError("a no-change sync changed something")
            return time.perf_counter() - started

        def in_process(_n: int) -> float:
            started = time.perf_counter()
            if study.sync().changed:
                raise RuntimeError("a no-change sync changed something")
            return time.perf_counter() - started

        pairs = alternate(child, in_process, ROUNDS)
    finally:
        study.close()
        account.close()
    return paired_figure(
        "no-change sync from the window: in a child process vs in the window's process",
        pairs,
        "s",
        None,
        note="wall time; sample curriculum, reference server in its own process on loopback",
    )


@contextmanager
def _server(data: Path) -> Iterator[str]:
    """The reference server with the sample curriculum, in a child process; yields its URL."""
    from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

    loader = ReferenceServer(data)
    loader.admin.load_curriculum(SAMPLE_CURRICULUM)  # with its demo learners
    loader.stop()
    with server_process(data) as url:
        yield url
