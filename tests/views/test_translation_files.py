"""The translation sources under resources/translations/: every entry translated, with the
fields, plural counts and mnemonics of its English, and every text the source marks present."""

from __future__ import annotations

import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
SCRIPT = ROOT / "scripts" / "translations.py"
FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%L?n")
MNEMONIC = re.compile(r"&(?!&)\w")
GONE = {"vanished", "obsolete"}


@dataclass(frozen=True)
class Entry:
    context: str
    source: str
    forms: tuple[str, ...]  # the translation, or its plural forms
    unfinished: bool

    def __str__(self) -> str:
        return f"[{self.context}] {self.source!r} -> {list(self.forms)!r}"


def entries(ts: Path) -> list[Entry]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            if kind in GONE:
                continue
            forms = _forms(translation)
            source = message.findtext("source") or ""
            found.append(Entry(name, source, forms, kind == "unfinished"))
    return found


def _forms(translation: ET.Element | None) -> tuple[str, ...]:
    if translation is None:
        return ("",)
    plural = translation.findall("numerusform")
    if plural:
        return tuple(form.text or "" for form in plural)
    return (translation.text or "",)


def translation_script() -> ModuleType:
    """scripts/translations.py, what `make translations` and `make qm` run."""
    spec = importlib.util.spec_from_file_location("translations_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def problems(entry: Entry) -> list[str]:
    if entry.unfinished or not all(form.strip() for form in entry.forms):
        return [f"unfinished: {entry}"]
    found = []
    fields = set(FIELD.findall(entry.source))
    for form in entry.forms:
        missing = fields - set(FIELD.findall(form))
        if len(entry.forms) > 1 and form is entry.forms[0]:
            missing -= {"%n", "%Ln"}  # "un archivo": the singular may spell the one out
        if missing:
            found.append(f"{sorted(missing)} missing: {entry}")
    if MNEMONIC.search(entry.source) and not all(MNEMONIC.search(f) for f in entry.forms):
        found.append(f"mnemonic (&) missing: {entry}")
    return found


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_entry_is_translated_with_its_fields(language: str) -> None:
    ts = TRANSLATIONS / f"rounds_{language}.ts"
    found = [problem for entry in entries(ts) for problem in problems(entry)]
    assert not found, f"{len(found)} entries of {ts.name}:\n" + "\n".join(found)


def test_every_text_the_source_marks_is_in_the_translation_sources(tmp_path: Path) -> None:
    """What `make translations` would add is already there (else it shows in English)."""
    for language in ("es", "en"):
        shutil.copy(TRANSLATIONS / f"rounds_{language}.ts", tmp_path)
    translation_script().update(tmp_path)
    for language in ("es", "en"):
        committed = {(e.context, e.source) for e in entries(TRANSLATIONS / f"rounds_{language}.ts")}
        current = {(e.context, e.source) for e in entries(tmp_path / f"rounds_{language}.ts")}
        new = sorted(current - committed)
        assert not new, f"run make translations: rounds_{language}.ts lacks {new}"


def test_the_check_finds_a_lost_field_an_unfinished_entry_and_a_lost_mnemonic() -> None:
    assert problems(Entry("C", "Saved {title}", ("Guardado",), False))
    assert problems(Entry("C", "Saved", ("",), False))
    assert problems(Entry("C", "Saved", ("Guardado",), True))
    assert problems(Entry("C", "&File", ("Archivo",), False))
    assert problems(Entry("C", "%n files", ("%n archivo", "archivos"), False))
    assert not problems(Entry("C", "%n files", ("un archivo", "%n archivos"), False))
    assert problems(Entry("C", "%Ln items", ("un elemento", "%n elementos"), False))
    assert not problems(Entry("C", "&File {n}", ("&Archivo {n}",), False))
