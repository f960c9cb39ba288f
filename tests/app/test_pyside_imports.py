"""Modules imported after PySide6 are checked for the word "PySide6" without their source
staying in memory."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

import desktop_app.gui  # noqa: F401  (installs the lighter check)

FEATURE = sys.modules["shibokensupport.feature"]


@pytest.fixture
def module_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_an_imported_module_leaves_no_source_behind(module_folder: Path) -> None:
    (module_folder / "rounds_plain_probe.py").write_text("VALUE = 1\n" * 1000)
    (module_folder / "rounds_qt_probe.py").write_text("import PySide6.QtCore\nVALUE = 2\n")
    plain = __import__("rounds_plain_probe")  # through the import hook, as `import` is
    qt = __import__("rounds_qt_probe")
    try:
        assert plain.__file__ not in linecache.cache and qt.__file__ not in linecache.cache
        assert FEATURE.pyside_feature_dict["rounds_plain_probe"] == -1  # ignored by PySide6
        assert FEATURE.pyside_feature_dict["rounds_qt_probe"] == 0  # a PySide6 user
    finally:
        del sys.modules["rounds_plain_probe"], sys.modules["rounds_qt_probe"]
