""" "Share downloads": off by default, on from the File menu with the status bar saying so, kept
in the settings, greyed out when IT's policy locks it, and stopped when the window closes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from desktop_app.config import load_settings, save_settings
from desktop_app.content_store import ContentStore
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.shell import Shell
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.sharing import Sharing
from desktop_app.views.share_toggle import ShareToggle, share_toggle_for
from reference_server.server import ReferenceServer

SHOTS = Path("/tmp/s20/shots/t18-peers")

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)


@pytest.fixture
def sharing(tmp_path: Path) -> Iterator[Sharing]:
    made = Sharing(
        ContentStore(tmp_path / "content"),
        PeerList(),
        "server-1",
        host="127.0.0.1",
        interfaces=["127.0.0.1"],
    )
    yield made
    made.close()


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    shown = QMainWindow()
    qtbot.addWidget(shown)
    menu = shown.menuBar().addMenu("&File")
    menu.addAction("S&ettings…")
    menu.addSeparator()
    menu.addAction("&Quit")
    return shown


def toggle_in(window: QMainWindow, sharing: Sharing, runner: BackgroundRunner) -> ShareToggle:
    file_menu = window.findChild(QMenu)
    assert isinstance(file_menu, QMenu)
    settings = file_menu.actions()[0]
    return share_toggle_for(window, sharing, runner, settings)


def test_sharing_is_off_until_turned_on_and_the_window_says_so_while_on(
    window: QMainWindow, sharing: Sharing, runner: BackgroundRunner, qtbot: QtBot
) -> None:
    toggle = toggle_in(window, sharing, runner)
    window.show()
    menu = toggle.action.parent()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions()][:2] == ["S&ettings…", "Share &downloads"]
    assert not toggle.action.isChecked() and toggle.action.isEnabled()
    assert not toggle.indicator.isVisible() and not sharing.sharing

    toggle.action.trigger()
    qtbot.waitUntil(toggle.indicator.isVisible, timeout=15_000)
    assert sharing.sharing and load_settings().share_downloads
    assert toggle.indicator.accessibleName() == "Sharing downloads with people nearby"

    toggle.action.trigger()
    assert not toggle.indicator.isVisible()
    qtbot.waitUntil(lambda: not sharing.sharing, timeout=15_000)
    assert not load_settings().share_downloads


def test_a_policy_can_forbid_sharing(
    window: QMainWindow,
    sharing: Sharing,
    runner: BackgroundRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"share_downloads": {"value": False, "locked": True}}))
    monkeypatch.setenv("ROUNDS_POLICY", str(policy))
    save_settings(load_settings().with_changes(share_downloads=True))

    toggle = toggle_in(window, sharing, runner)

    assert not toggle.action.isEnabled() and not toggle.action.isChecked()
    assert toggle.action.toolTip() == "Your organisation does not allow sharing downloads."
    assert not sharing.sharing


def test_sharing_chosen_before_starts_with_the_window_and_stops_when_it_closes(
    qapp: QApplication, reference_server: ReferenceServer, qtbot: QtBot
) -> None:
    save_settings(load_settings().with_changes(share_downloads=True))
    shell = Shell(qapp, demo_url=reference_server.url)
    assert shell.start(None, None)
    shown = shell.window
    assert shown is not None
    qtbot.waitUntil(lambda: shown.share_toggle.indicator.isVisible(), timeout=20_000)
    sharing = shown.study.sharing
    assert sharing.sharing
    save_shots(shown)

    shell.close_window()

    assert not sharing.sharing


def save_shots(window: QMainWindow) -> None:
    """The window while sharing, light and dark, in the application's own themes (looked at
    by hand)."""
    from desktop_app.views.theme.appearance import apply_appearance

    SHOTS.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for theme in ("light", "dark"):
        apply_appearance(app, load_settings().with_changes(theme=theme))
        QApplication.processEvents()
        window.grab().save(str(SHOTS / f"sharing-{theme}.png"))
    apply_appearance(app, load_settings().with_changes(theme="light"))
