"""`python -m benchmarks [NAME ...]`: run the benchmarks and print one table.

Each benchmark runs in its own process under a time limit (its module's `TIMEOUT_SECONDS`), so a
hang fails that benchmark instead of blocking the run, and one benchmark's memory and threads do
not colour the next one's figures. What a benchmark prints besides its figures (servers' request
logs, Qt's warnings, the load benchmark's latencies and profile) goes to
`benchmarks/results/NAME.log`, so the table stands alone.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from benchmarks.table import Figure, render

DEFAULT_TIMEOUT_SECONDS = 900
LOG_FOLDER = Path(__file__).parent / "results"


def available() -> list[str]:
    folder = Path(__file__).parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_")
    )


def run_one(name: str) -> None:
    """In the child: run one benchmark and print its figures as JSON on the last line."""
    module = importlib.import_module(f"benchmarks.{name}")
    figures = module.run()
    print(json.dumps([asdict(f) for f in figures]), flush=True)


def _timeout(name: str) -> int:
    module = importlib.import_module(f"benchmarks.{name}")
    return int(getattr(module, "TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))


def _failed(name: str, why: str) -> Figure:
    return Figure(f"{name}: {why}", float("nan"), 1.0, "", 1.0, note=why)


def run_isolated(name: str) -> list[Figure]:
    """Runs benchmark `name` in a child process; a hang or crash becomes a failed row."""
    limit = _timeout(name)
    command = [sys.executable, "-X", "faulthandler", "-m", "benchmarks", "--one", name]
    LOG_FOLDER.mkdir(exist_ok=True)
    log_path = LOG_FOLDER / f"{name}.log"
    try:
        with log_path.open("w") as log:
            done = subprocess.run(
                command, stdout=subprocess.PIPE, stderr=log, timeout=limit, text=True,
                env=os.environ.copy(),
            )  # fmt: skip
    except subprocess.TimeoutExpired:
        return [_failed(name, f"timed out after {limit} s; its output: {log_path}")]
    if done.returncode != 0 or not done.stdout.strip():
        return [_failed(name, f"exited with status {done.returncode}; its output: {log_path}")]
    last = done.stdout.strip().splitlines()[-1]
    return [_figure(values) for values in json.loads(last)]


def _figure(values: dict[str, object]) -> Figure:
    spread = values.pop("ratio_range")
    figure = Figure(**values)  # type: ignore[arg-type]
    if isinstance(spread, list):
        return Figure(**{**asdict(figure), "ratio_range": (spread[0], spread[1])})
    return figure


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        run_one(argv[1])
        return 0
    figures: list[Figure] = []
    for name in argv or available():
        print(f"running {name}…", file=sys.stderr, flush=True)
        figures.extend(run_isolated(name))
    print(render(figures))
    print(f"\nEach benchmark's own output: {LOG_FOLDER}/NAME.log")
    return 0 if all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
