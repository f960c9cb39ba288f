"""The PyInstaller one-folder build starts offscreen and passes its own self-test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_pyinstaller_build_passes_its_self_test(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "build"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    binary = tmp_path / "dist" / "rounds" / "rounds"
    assert binary.is_file()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROUNDS_HOME": str(tmp_path / "home")}
    checked = subprocess.run(
        [str(binary), "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "self-test passed" in checked.stdout
    assert not (tmp_path / "home").exists(), "the self-test must not write user data"
