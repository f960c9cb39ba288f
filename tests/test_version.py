"""`--version` of the window, the headless commands and the reference server: pyproject's."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from desktop_app import version
from desktop_app.views.main_menus import about_text

ROOT = Path(__file__).resolve().parents[1]


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def version_of(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


@pytest.mark.parametrize(
    "command",
    [
        (sys.executable, "-m", "desktop_app"),
        (str(Path(sys.executable).with_name("rounds")),),
        (sys.executable, "-m", "reference_server"),
    ],
    ids=["python-m-desktop_app", "rounds-script", "reference_server"],
)
def test_version_option_prints_the_pyproject_version(command: tuple[str, ...]) -> None:
    done = version_of(*command)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Rounds {pyproject_version()}\n"


def test_version_option_starts_no_window_and_needs_no_data_folder() -> None:
    """The window's and the server's other options are not required for --version."""
    done = version_of(sys.executable, "-X", "importtime", "-m", "desktop_app")
    assert done.returncode == 0
    assert "PySide6" not in done.stderr


def test_installed_version_is_pyprojects() -> None:
    assert version.rounds_version() == pyproject_version()


def test_without_package_metadata_the_version_is_development(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    assert version.rounds_version() == "development"
    assert "Rounds development" in about_text()
