"""The download confirmation: what, how big, the space left; "Download" and "Cancel"; one
lesson queued alone; a disk that would cross the floor explained without jargon."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from downloads_samples import WAIT, MakeManager, mirror_catalog, publish_course, random_file
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.api.client import ApiClient
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.downloads.dialogs import ask_to_download
from desktop_app.views.downloads.flow import DownloadFlow
from reference_server.server import ReferenceServer

GB = 1_000_000_000


def _disk(free: int) -> object:
    return lambda _path: SimpleNamespace(free=free)


def _flow(
    qtbot: QtBot, runner: BackgroundRunner, make_manager: MakeManager, free: int, floor: int = 0
) -> tuple[DownloadFlow, list[str], list[str]]:
    parent = QWidget()
    qtbot.addWidget(parent)
    manager = make_manager(disk_usage=_disk(free), disk_floor_bytes=floor)
    asked: list[str] = []
    told: list[str] = []

    def confirm(_parent: QWidget, _title: str, question: str) -> bool:
        asked.append(question)
        return True

    flow = DownloadFlow(
        manager,
        runner,
        parent,
        confirm=confirm,
        inform=lambda _parent, _title, text: told.append(text),
    )
    return flow, asked, told


def test_the_question_says_what_how_big_and_the_space_left(
    qtbot: QtBot,
    runner: BackgroundRunner,
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    make_manager: MakeManager,
) -> None:
    files = [random_file("a.mp4", 300_000), random_file("b.mp4", 28_000)]
    publish_course(reference_server, "c-ask", files, title="Wound care")
    mirror_catalog(client, db)
    flow, asked, _told = _flow(qtbot, runner, make_manager, free=int(41.2 * GB) + 328_000)

    with qtbot.waitSignal(flow.queued, timeout=int(WAIT * 1000)) as queued:
        flow.request("c-ask")

    assert asked == ["Download “Wound care” — 2 files, 328 kB. 41.2 GB will be left on this disk."]
    assert queued.args == ["c-ask", 2]


def test_one_lesson_is_asked_about_and_queued_alone(
    qtbot: QtBot,
    runner: BackgroundRunner,
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    make_manager: MakeManager,
) -> None:
    files = [random_file("a.mp4", 3000), random_file("b.mp4", 5000)]
    publish_course(reference_server, "c-lesson", files, title="Triage")
    mirror_catalog(client, db)
    flow, asked, _told = _flow(qtbot, runner, make_manager, free=10 * GB)
    courses: list[str] = []
    flow.queued.connect(lambda course, _n: courses.append(course))

    with qtbot.waitSignal(flow.lesson_queued, timeout=int(WAIT * 1000)) as queued:
        flow.request_lesson("l-c-lesson-1")

    assert asked[0].startswith("Download “Lesson 2: b.mp4” — 1 files, 5 kB.")
    assert queued.args == ["l-c-lesson-1", 1] and courses == []


def test_a_download_past_the_floor_says_how_much_more_room_it_needs(
    qtbot: QtBot,
    runner: BackgroundRunner,
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    make_manager: MakeManager,
) -> None:
    publish_course(reference_server, "c-big", [random_file("big.mp4", 1_200_000)])
    mirror_catalog(client, db)
    floor = 500_000_000
    flow, asked, told = _flow(qtbot, runner, make_manager, free=floor, floor=floor)

    with qtbot.waitSignal(flow.refused, timeout=int(WAIT * 1000)) as refused:
        flow.request("c-big")

    assert told == ["Rounds keeps 500 MB free on this disk; this download needs 1.2 MB more space."]
    assert refused.args == told and asked == []
    assert "floor" not in told[0]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_buttons_are_download_and_cancel(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[list[str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append([button.text() for button in box.findChildren(QPushButton)])
        download = next(b for b in box.buttons() if b.text() == "Download")
        download.click()

    QTimer.singleShot(0, answer)
    assert ask_to_download(parent, "Download", "Download “Course”?") is True
    assert sorted(seen[0]) == ["Cancel", "Download"]
