"""File → Import course package… in the window: the course counts as downloaded at once; a
refused package says why in one message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from packages_samples import COURSE, publish
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from server_fixture import DEMO_USER
from test_package_cli import rounds

from desktop_app.catalog.library import DOWNLOADED
from desktop_app.gui.shell import Shell
from desktop_app.views.main_window import MainWindow
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)


@pytest.fixture
def package(reference_server: ReferenceServer, tmp_path: Path) -> Path:
    """The course exported on another computer (its own data folder)."""
    publish(reference_server)
    home, package = tmp_path / "exporter", tmp_path / "c-pack.zip"
    who = ("--server", reference_server.url, "--user", DEMO_USER)
    for command in (("sync",), ("download", COURSE), ("package", "export", COURSE, str(package))):
        assert rounds(home, *command, *who).returncode == 0
    return package


@pytest.fixture
def window(
    qapp: QApplication, reference_server: ReferenceServer, qtbot: QtBot
) -> Iterator[MainWindow]:
    shell = Shell(qapp, demo_url=reference_server.url)
    assert shell.start(None, None)
    assert shell.window is not None
    qtbot.waitUntil(lambda: shell.window.catalog.courses.rowCount() == 4, timeout=20_000)  # type: ignore[union-attr]
    yield shell.window
    shell.close_window()


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    chosen = staticmethod(lambda *_args, **_kw: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", chosen)


def test_an_imported_package_shows_the_course_downloaded(
    package: Path, window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.menu_actions.import_package.isEnabled()
    _choose(monkeypatch, package)

    window.menu_actions.import_package.trigger()

    qtbot.waitUntil(lambda: _message(window) != "", timeout=20_000)
    assert "“Packaged course” is downloaded on this computer" in _message(window)
    rows = {row.id: row for row in window.study.library.courses()}
    assert rows[COURSE].download_state == DOWNLOADED


def test_a_refused_package_says_why(
    package: Path, window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(package.read_bytes()[:1000])
    _choose(monkeypatch, broken)

    window.menu_actions.import_package.trigger()

    qtbot.waitUntil(lambda: _message(window) != "", timeout=20_000)
    assert _message(window) == (
        "The course package was not imported. "
        "The package is damaged or incomplete (it is not a whole zip file)."
    )
    rows = {row.id: row for row in window.study.library.courses()}
    assert rows[COURSE].download_state != DOWNLOADED


def _message(window: MainWindow) -> str:
    box = window.package_import.message
    return box.text() if box is not None and box.isVisible() else ""
