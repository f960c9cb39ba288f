"""Start-up as whole processes: `python -m desktop_app` against a bare PySide6 window.

The account's cache holds 1,000 courses / 50,000 lessons, synced once from the reference
server's generated catalog; the server is then stopped, so every start finds it unreachable.
The tokens wait in a keyring file (`file_keyring.py`), so the account opens without a
password as a learner's does with the system keyring. The peer is `bare_window.py`, a
`QMainWindow` of the same size that paints once.

Both sides report through the app's start-up probe (`desktop_app/gui/startup_probe.py`,
`ROUNDS_REPORT_PAINT=1`): seconds from the process's start, as the kernel recorded it, to
the window's first paint, and to the course list painted with its courses. Idle memory is
the resident set of each process 5 s after its start. The sides alternate, peer then ours,
and each figure is the median with the range of the rounds' ratios. Everything runs under
the `offscreen` platform, and again under Xvfb when it is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.file_keyring import FILE_VARIABLE
from benchmarks.pairs import Pairs, alternate, paired_figure
from benchmarks.table import Figure

TIMEOUT_SECONDS = 600
COURSES, LESSONS_PER_COURSE = 1_000, 50
USER, PASSWORD = "bench", "bench-password"
TIME_ROUNDS, MEMORY_ROUNDS = 5, 3
IDLE_SECONDS = 5
RUN_LIMIT_SECONDS = 60
ROOT = Path(__file__).resolve().parents[1]
SIZE = f"{COURSES // 1000}k courses / {COURSES * LESSONS_PER_COURSE // 1000}k lessons"


def build_home(folder: Path) -> dict[str, str]:
    """A data folder signed in and synced, its server stopped; the environment that opens it."""
    env = {
        **os.environ,
        "ROUNDS_HOME": str(folder / "home"),
        FILE_VARIABLE: str(folder / "keyring.json"),
        "PYTHON_KEYRING_BACKEND": "benchmarks.file_keyring.FileKeyring",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "ROUNDS_REPORT_PAINT": "1",
    }
    subprocess.run(
        [sys.executable, "-c", "from benchmarks.bench_startup import sync_home; sync_home()"],
        env={**env, "ROUNDS_REPORT_PAINT": ""},
        cwd=ROOT,
        check=True,
        timeout=TIMEOUT_SECONDS / 2,
    )
    return env


def sync_home() -> None:
    """In a child with the home's environment: sign in, sync the whole catalog, stop."""
    from desktop_app.account import Account
    from reference_server import ReferenceServer

    home = Path(os.environ["ROUNDS_HOME"])
    with ReferenceServer(home.parent / "server") as server:
        server.admin.generate_catalog(COURSES, LESSONS_PER_COURSE)
        server.admin.add_user(USER, PASSWORD, "Benchmark")
        account = Account.sign_in(server.url, USER, PASSWORD)
        try:
            account.sync()
        finally:
            account.close()


def milestones(
    command: list[str], env: dict[str, str], exit_after: str
) -> dict[str, tuple[float, int]]:
    """Runs one process to `exit_after`; {milestone: (seconds since start, resident bytes)}."""
    done = subprocess.run(
        command,
        env={**env, "ROUNDS_EXIT_AFTER": exit_after},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        timeout=RUN_LIMIT_SECONDS,
    )
    found = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "rounds-startup":
            found[parts[1]] = (float(parts[2]), int(parts[3]))
    if done.returncode != 0 or not found:
        raise RuntimeError(f"{command[-1]} exited with {done.returncode}: {done.stdout[-300:]}")
    return found


OURS = [sys.executable, "-m", "desktop_app"]
PEER = [sys.executable, "-m", "benchmarks.bare_window"]


def measure(env: dict[str, str], where: str) -> list[Figure]:
    runs: list[dict[str, tuple[float, int]]] = []
    peer_runs: list[dict[str, tuple[float, int]]] = []

    def ours(_n: int) -> float:
        runs.append(milestones(OURS, env, "course-list"))
        return runs[-1]["first-paint"][0]

    def peer(_n: int) -> float:
        peer_runs.append(milestones(PEER, env, "first-paint"))
        return peer_runs[-1]["first-paint"][0]

    paint = alternate(ours, peer, TIME_ROUNDS)
    courses = Pairs([run["course-list"][0] for run in runs], paint.peer)
    idle = alternate(
        lambda _n: milestones(OURS, env, f"{IDLE_SECONDS}s")["idle"][1] / 1e6,
        lambda _n: milestones(PEER, env, f"{IDLE_SECONDS}s")["idle"][1] / 1e6,
        MEMORY_ROUNDS,
    )
    cache = f"{SIZE} cached, server unreachable; {where}"
    return [
        paired_figure(f"start → first paint ({where})", paint, "s", 2.0, note=cache),
        paired_figure(f"start → course list painted ({where})", courses, "s", 3.0,
                      note=f"{cache}; peer: the bare window's first paint, same rounds"),
        paired_figure(f"idle memory {IDLE_SECONDS} s after start ({where})", idle, "MB", 2.0,
                      note=f"resident set; {cache}"),
    ]  # fmt: skip


@contextmanager
def xvfb() -> Iterator[str | None]:
    """An Xvfb display for the second set of figures, or None where Xvfb is not installed."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as numbers:
            yield f":{numbers.readline().strip()}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rounds-bench-startup-") as folder:
        env = build_home(Path(folder))
        figures = measure({**env, "QT_QPA_PLATFORM": "offscreen"}, "offscreen")
        with xvfb() as display:
            if display is not None:
                x11 = {**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
                figures += measure({**x11, "DBUS_SESSION_BUS_ADDRESS": "disabled:"}, "Xvfb")
    return figures
