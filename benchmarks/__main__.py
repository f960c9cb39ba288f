"""`python -m benchmarks [NAME ...]`: run the benchmarks and print one table."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks.table import Figure, render


def available() -> list[str]:
    folder = Path(__file__).parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_")
    )


def main(argv: list[str]) -> int:
    names = argv or available()
    figures: list[Figure] = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"running {name}…", file=sys.stderr, flush=True)
        figures.extend(module.run())
    print(render(figures))
    return 0 if all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
