"""Rounds' translations: `update` collects the window's text from `desktop_app/` into the
`.ts` sources under `resources/translations/` (Qt's lupdate); `release` compiles them to the
`.qm` files the app loads (Qt's lrelease). `make translations` and `make qm` run them.

    python scripts/translations.py update
    python scripts/translations.py release [--out FOLDER]

rounds_en.ts holds only the plural forms, so that English says "1 file" and "2 files".
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "desktop_app"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("en", "es")
"""Each has resources/translations/rounds_<code>.ts; English is the source language."""


def qt_tool(name: str) -> str:
    """The path of a Qt tool PySide6 ships (what its `pyside6-<name>` runs)."""
    return str(Path(PySide6.__file__).resolve().parent / name)


def ts_file(code: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / f"rounds_{code}.ts"


def update(folder: Path = TRANSLATIONS) -> None:
    """Bring every .ts in `folder` up to date with the source: new text is added unfinished,
    text no longer in the source is dropped."""
    folder.mkdir(parents=True, exist_ok=True)
    for code in LANGUAGES:
        options = ["-pluralonly"] if code == "en" else []
        _run(
            qt_tool("lupdate"),
            "-extensions",
            "py",
            "-no-obsolete",
            "-silent",
            "-locations",
            "relative",
            "-source-language",
            "en",
            "-target-language",
            code,
            *options,
            str(SOURCES),
            "-ts",
            str(ts_file(code, folder)),
        )


def release(out: Path = TRANSLATIONS, only: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """Compile each .ts (or those of the languages `only`) to `out`/rounds_<code>.qm;
    returns the .qm files."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for code in only:
        qm = out / f"rounds_{code}.qm"
        _run(qt_tool("lrelease"), "-silent", str(ts_file(code)), "-qm", str(qm))
        made.append(qm)
    return made


def _run(*command: str) -> None:
    subprocess.run(command, check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("update", "release"))
    parser.add_argument("--out", type=Path, default=TRANSLATIONS, help="where .qm files go")
    parser.add_argument("--only", help="release one language: es or rounds_es")
    args = parser.parse_args(argv)
    if args.step == "update":
        update()
    else:
        release(args.out, (args.only.removeprefix("rounds_"),) if args.only else LANGUAGES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
