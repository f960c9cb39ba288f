"""Help → Save diagnostics…: works before anyone signs in, writes the zip where the learner
chose, and says where it is, or in one sentence why it could not be written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.views.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def save_action(window: MainWindow) -> QAction:
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert isinstance(help_menu, QMenu)
    (action,) = [a for a in help_menu.actions() if a.text() == "Save &diagnostics…"]
    return action


def choose(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    suggested: list[str] = []

    def chosen(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        suggested.append(start)
        return str(target), "Zip files (*.zip)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chosen))
    return suggested


def shown_box(window: MainWindow, qtbot: QtBot) -> QMessageBox:
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=20_000)
    (box,) = window.findChildren(QMessageBox)
    return box


def test_the_help_menu_saves_the_zip_where_chosen_and_says_where(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    target = tmp_path / "for-it.zip"
    suggested = choose(monkeypatch, target)
    action = save_action(window)
    assert action.isEnabled()
    action.trigger()
    box = shown_box(window, qtbot)
    assert box.icon() == QMessageBox.Icon.Information
    assert box.text().startswith(f"Diagnostics saved to {target}.")
    assert "IT department" in box.text()
    assert Path(suggested[0]).name.startswith("rounds-diagnostics-")
    with zipfile.ZipFile(target) as archive:
        report = archive.read("report.txt").decode("utf-8")
    assert f"\n  Qt                {qVersion()} (PySide6 " in report
    box.close()


def test_a_folder_that_cannot_be_written_is_one_sentence_in_a_warning(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    target = tmp_path / "gone" / "for-it.zip"
    choose(monkeypatch, target)
    save_action(window).trigger()
    box = shown_box(window, qtbot)
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.text() == (
        f"The diagnostics could not be saved in {target.parent}: No such file or directory."
    )
    assert not target.parent.exists()
    box.close()
