"""Writing a file atomically: the new content whole, or the old file untouched, never a leftover."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop_app.atomic_file import write_bytes_atomically, write_json_atomically


def test_the_content_is_written_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "notes.bin"
    write_bytes_atomically(target, b"first")
    write_bytes_atomically(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    assert list(tmp_path.iterdir()) == [target]


def test_json_is_written_as_utf8_with_the_options_given(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    write_json_atomically(target, {"b": "Zoë", "a": 1}, indent=2, sort_keys=True)
    assert target.read_bytes() == json.dumps({"a": 1, "b": "Zoë"}, indent=2).encode("utf-8")
    assert list(tmp_path.iterdir()) == [target]


def test_a_value_json_cannot_hold_leaves_the_existing_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "progress.json"
    target.write_text('{"kept": true}', encoding="utf-8")
    with pytest.raises(TypeError):
        write_json_atomically(target, {"when": object()})
    assert target.read_text(encoding="utf-8") == '{"kept": true}'
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_rename_leaves_the_existing_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "agenda.ics"
    target.write_bytes(b"old agenda")

    def refuse(source: str, destination: Path) -> None:
        raise PermissionError(13, "Permission denied", str(destination))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_bytes_atomically(target, b"new agenda")
    assert target.read_bytes() == b"old agenda"
    assert list(tmp_path.iterdir()) == [target]
