"""The downloads panel and the storage page: item models, buttons, signals, screenshots."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from downloads_samples import (
    STALLING_RETRY,
    WAIT,
    MakeManager,
    MiB,
    StorageOf,
    held_elsewhere,
    mirror_catalog,
    publish_course,
    random_file,
)
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QHeaderView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from shots import keep, shots_folder

from desktop_app.api.client import ApiClient
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import (
    CourseProgress,
    CourseUsage,
    DownloadManager,
    DownloadState,
    JobStatus,
    QueueSnapshot,
)
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.downloads.bridge import DownloadEvents
from desktop_app.views.downloads.models import (
    WAITING_WORDS,
    course_progress_model,
    job_status_model,
    storage_model,
)
from desktop_app.views.downloads.panel import DownloadsPanel
from desktop_app.views.downloads.storage_page import StoragePage
from desktop_app.views.row_list import FRACTION_ROLE, FrozenRowsModel
from desktop_app.views.theme.appearance import style_sheet
from desktop_app.views.theme.schemes import LIGHT
from reference_server.server import ReferenceServer

SHOWN = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
"""Offscreen windows say this when shown, harmlessly."""
ASSETS = "/api/v1/assets/"


def job(
    job_id: int,
    course: str,
    label: str,
    done: int,
    state: DownloadState,
    *,
    size: int = 40_000_000,
    error: str = "",
    speed: float | None = None,
    left: float | None = None,
) -> JobStatus:
    return JobStatus(job_id, course, f"{job_id:064x}", label, size, done, state, error, speed, left)


def course(
    course_id: str,
    title: str,
    size: int,
    done: int,
    files: tuple[int, int],
    state: DownloadState,
    error: str = "",
    speed: float | None = None,
    left: float | None = None,
) -> CourseProgress:
    return CourseProgress(course_id, title, size, done, *files, state, error, speed, left)


GONE = "The server no longer has this file."
SAMPLE = QueueSnapshot(
    jobs=(
        job(1, "c-found", "welcome.mp4", 40_000_000, DownloadState.DONE),
        job(
            2,
            "c-found",
            "listen-first.wav",
            23_500_000,
            DownloadState.RUNNING,
            speed=4.1e6,
            left=4.0,
        ),
        job(3, "c-found", "platforms.png", 0, DownloadState.QUEUED, size=800_000),
        job(4, "c-found", "checklist.pdf", 0, DownloadState.QUEUED, size=2_400_000),
        job(5, "c-priv", "identifiable-story.mp4", 12_000_000, DownloadState.PAUSED),
        job(6, "c-priv", "boundaries.wav", 0, DownloadState.FAILED, error=GONE),
    ),
    courses=(
        course(
            "c-found",
            "Foundations of social media for clinicians",
            83_200_000,
            63_500_000,
            (4, 1),
            DownloadState.RUNNING,
            speed=4.1e6,
            left=4.8,
        ),
        course(
            "c-priv",
            "Privacy and confidentiality online",
            80_000_000,
            12_000_000,
            (2, 0),
            DownloadState.PAUSED,
            GONE,
        ),
    ),
    speed=4.1e6,
    seconds_left=16.2,
)


class FakeActions:
    """Records what the panel asks for; the snapshot is fixed."""

    def __init__(self, snapshot: QueueSnapshot = SAMPLE) -> None:
        self.calls: list[tuple[str, str | None, list[int] | None]] = []
        self._snapshot = snapshot

    def _record(self, verb: str, course_id: str | None, job_ids: Iterable[int] | None) -> None:
        self.calls.append((verb, course_id, None if job_ids is None else list(job_ids)))

    def pause(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        self._record("pause", course_id, job_ids)

    def resume(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        self._record("resume", course_id, job_ids)

    def cancel(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        self._record("cancel", course_id, job_ids)

    def clear_finished(self) -> None:
        self._record("clear", None, None)

    def snapshot(self) -> QueueSnapshot:
        return self._snapshot

    def add_listener(self, listener: object) -> None:
        pass

    def remove_listener(self, listener: object) -> None:
        pass


def settle(runner: BackgroundRunner, qtbot: QtBot) -> None:
    """Let background jobs finish and their results reach the widgets."""
    assert runner.wait_for_idle(30_000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=int(WAIT * 1000))


def screenshot(widget: DownloadsPanel | StoragePage, qtbot: QtBot, name: str) -> None:
    widget.setStyleSheet(style_sheet(LIGHT))
    widget.resize(900, 620)
    widget.show()
    qtbot.waitExposed(widget)
    keep({f"downloads-{name}.png": widget.grab()}, shots_folder("ROUNDS_DOWNLOADS_SHOTS"))


def test_item_models_pass_the_model_tester(qtmodeltester: ModelTester) -> None:
    courses, jobs, storage = course_progress_model(), job_status_model(), storage_model()
    courses.set_rows(SAMPLE.courses)
    jobs.set_rows(SAMPLE.jobs)
    storage.set_rows([CourseUsage("c-found", "Foundations", 83_200_000, 4, 83_200_000, 4, 1)])
    for model in (courses, jobs, storage):
        qtmodeltester.check(model)
    assert courses.index(0, 1).data(FRACTION_ROLE) == pytest.approx(63.5 / 83.2)
    assert courses.index(0, 2).data() == "63.5 MB of 83.2 MB"
    assert jobs.index(1, 4).data() == "about 4 s left"
    assert jobs.index(5, 5).data() == f"Failed: {GONE}"
    assert courses.index(1, 6).data() == "Paused"
    assert (
        courses.index(1, 6).data(Qt.ItemDataRole.ToolTipRole).endswith("no longer has this file.")
    )
    assert storage.index(0, 2).data() == "83.2 MB"


def test_progress_updates_of_the_same_rows_keep_the_selection(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    actions = FakeActions()
    panel = DownloadsPanel(actions, DownloadEvents(actions), runner)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.job_table.selectRow(1)

    progressed = job(2, "c-found", "listen-first.wav", 30_000_000, "running")
    panel.show_snapshot(
        QueueSnapshot((*SAMPLE.jobs[:1], progressed, *SAMPLE.jobs[2:]), SAMPLE.courses)
    )

    assert panel.selected_jobs() == [2]
    assert panel.job_model.row_at(1).bytes_done == 30_000_000


@SHOWN
def test_the_panel_shows_totals_and_acts_on_the_selection(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    actions = FakeActions()
    answers = iter([False, True])
    panel = DownloadsPanel(
        actions,
        DownloadEvents(actions),  # type: ignore[arg-type]
        runner,
        confirm=lambda *_: next(answers),
    )
    qtbot.addWidget(panel)

    assert panel.total_label.text() == "75.5 MB of 163.2 MB · 4.1 MB/s · about 16 s left"
    assert panel.selected_course() == "c-found"
    assert panel.files_box.title() == "Lessons of “Foundations of social media for clinicians”"
    assert panel.job_model.rowCount() == 4
    panel.pause_course_button.click()
    panel.job_table.selectRow(2)
    panel.cancel_files_button.click()  # the learner says no
    panel.cancel_files_button.click()
    panel.course_table.selectRow(1)
    panel.resume_course_button.click()
    settle(runner, qtbot)

    assert actions.calls == [
        ("pause", "c-found", None),
        ("cancel", None, [3]),
        ("resume", "c-priv", None),
    ]
    assert not panel.pause_course_button.isEnabled()
    screenshot(panel, qtbot, "panel")


@SHOWN
def test_an_empty_queue_says_how_to_start_and_offers_no_actions(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    actions = FakeActions(QueueSnapshot())
    panel = DownloadsPanel(actions, DownloadEvents(actions), runner)  # type: ignore[arg-type]
    qtbot.addWidget(panel)

    assert panel.total_label.text().startswith("Nothing is downloading.")
    assert panel.total_row.isHidden()
    buttons = (panel.pause_all_button, panel.resume_all_button, panel.cancel_course_button)
    assert not any(button.isEnabled() for button in buttons)
    screenshot(panel, qtbot, "panel-empty")


@pytest.fixture
def live_panel(
    qtbot: QtBot, runner: BackgroundRunner, make_manager: MakeManager
) -> Iterator[tuple[DownloadManager, DownloadsPanel]]:
    """The panel on a real manager: one file at a time, and a long wait before a retry."""
    manager = make_manager(parallelism=1, retry=STALLING_RETRY)
    bridge = DownloadEvents(manager)
    panel = DownloadsPanel(manager, bridge, runner)
    qtbot.addWidget(panel)
    yield manager, panel
    bridge.close()


def test_the_panel_follows_a_real_download_and_pauses_it(
    qtbot: QtBot,
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    live_panel: tuple[DownloadManager, DownloadsPanel],
) -> None:
    files = [random_file("lecture.mp4", 2 * MiB), random_file("notes.pdf", 100_000)]
    first, second = publish_course(reference_server, "c-live", files, "Live course")
    mirror_catalog(client, db)
    manager, panel = live_panel
    reference_server.faults.add(ASSETS, drop_after_bytes=MiB)  # then a long wait to retry
    manager.download(manager.plan("c-live"))
    manager.start()
    qtbot.waitUntil(lambda: store.partial_size(first) > 0, timeout=int(WAIT * 1000))

    panel.pause_course_button.click()
    qtbot.waitUntil(lambda: panel.course_model.rowCount() == 1, timeout=int(WAIT * 1000))
    qtbot.waitUntil(
        lambda: panel.course_model.row_at(0).state == DownloadState.PAUSED, timeout=int(WAIT * 1000)
    )
    assert panel.resume_course_button.isEnabled() and not panel.pause_course_button.isEnabled()

    with qtbot.waitSignal(panel.course_finished, timeout=int(WAIT * 1000)) as finished:
        panel.resume_course_button.click()
    assert finished.args == ["c-live"]
    assert store.has(first) and store.has(second)
    assert panel.total_bar.value() == 1000


def test_a_file_another_process_is_fetching_says_the_panel_waits_for_it(
    qtbot: QtBot,
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    live_panel: tuple[DownloadManager, DownloadsPanel],
) -> None:
    sample = random_file("lecture.mp4", MiB)
    (digest,) = publish_course(reference_server, "c-held", [sample], "Held course")
    mirror_catalog(client, db)
    manager, panel = live_panel

    def status(model: FrozenRowsModel[Any]) -> str:
        return str(model.data(model.index(0, model.columnCount() - 1))) if model.rowCount() else ""

    with held_elsewhere(store, digest) as release:
        manager.download(manager.plan("c-held"))
        manager.start()
        qtbot.waitUntil(lambda: status(panel.job_model) == WAITING_WORDS, timeout=int(WAIT * 1000))
        assert status(panel.course_model) == WAITING_WORDS
        with qtbot.waitSignal(panel.course_finished, timeout=int(WAIT * 1000)):
            release()

    assert store.path_for(digest).read_bytes() == sample.data
    assert status(panel.job_model) != WAITING_WORDS


def test_snapshots_from_a_worker_thread_arrive_on_the_ui_thread(qtbot: QtBot) -> None:
    actions = FakeActions()
    bridge = DownloadEvents(actions)  # type: ignore[arg-type]
    seen: list[bool] = []
    bridge.snapshot_changed.connect(
        lambda _snapshot: seen.append(threading.current_thread() is threading.main_thread())
    )
    with qtbot.waitSignal(bridge.snapshot_changed, timeout=5000):
        worker = threading.Thread(target=lambda: [bridge.listen(SAMPLE) for _ in range(50)])
        worker.start()
        worker.join()
    QCoreApplication.sendPostedEvents(bridge)  # the delivery the last burst queued
    assert seen and all(seen) and len(seen) < 50  # a burst arrives as few, latest-wins updates


@SHOWN
def test_the_storage_page_lists_courses_and_removes_one_keeping_progress(
    qtbot: QtBot,
    runner: BackgroundRunner,
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    storage_of: StorageOf,
) -> None:
    shared = random_file("shared.mp4", 600_000)
    a = publish_course(reference_server, "c-a", [shared, random_file("a.pdf", 90_000)], "Course A")
    b = publish_course(reference_server, "c-b", [shared, random_file("b.pdf", 70_000)], "Course B")
    mirror_catalog(client, db)
    manager = make_manager()
    manager.start()
    for course in ("c-a", "c-b"):
        manager.download(manager.plan(course))
    assert manager.wait_until_idle(WAIT)
    asked: list[str] = []
    page = StoragePage(
        storage_of(manager),
        runner,
        floor_bytes=500_000_000,
        confirm=lambda _p, _t, q: asked.append(q) or True,
    )
    qtbot.addWidget(page)
    settle(runner, qtbot)

    assert [page.model.row_at(n).title for n in range(page.model.rowCount())] == [
        "Course A",
        "Course B",
    ]
    assert page.summary.text().startswith("Downloads use 760 kB (a file shared by several")
    assert page.summary.text().endswith("500 MB is always kept free.")
    screenshot(page, qtbot, "storage")
    page.table.selectRow(0)
    with qtbot.waitSignal(page.downloads_removed, timeout=int(WAIT * 1000)) as removed:
        page.remove_button.click()
    settle(runner, qtbot)

    assert removed.args == ["c-a"]
    assert asked == ["Remove the downloaded files of “Course A” (690 kB)? Your progress is kept."]
    assert page.message.text().startswith("Removed the downloads of “Course A”: 90 kB freed. 1 ")
    assert not store.has(a[1]) and store.has(a[0]) and store.has(b[1])
    assert page.model.rowCount() == 1


@SHOWN
def test_columns_hold_still_while_progress_arrives_and_the_title_takes_the_rest(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    actions = FakeActions()
    panel = DownloadsPanel(actions, DownloadEvents(actions), runner)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)

    def widths() -> list[list[int]]:
        return [
            [table.columnWidth(n) for n in range(table.model().columnCount())]
            for table in (panel.course_table, panel.job_table)
        ]

    before = widths()
    longer = job(2, "c-found", "listen-first.wav", 999_999_999, "running", size=999_999_999)
    slower = (*SAMPLE.jobs[:1], replace(longer, speed=987_654_321.0, seconds_left=35_000.0))
    panel.show_snapshot(QueueSnapshot((*slower, *SAMPLE.jobs[2:]), SAMPLE.courses))
    QApplication.processEvents()

    assert widths() == before
    for table in (panel.course_table, panel.job_table):
        header = table.horizontalHeader()
        assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
        modes = {header.sectionResizeMode(n) for n in range(1, header.count())}
        assert QHeaderView.ResizeMode.ResizeToContents not in modes
    speed = panel.job_model.index(1, 3).data()
    assert panel.job_table.fontMetrics().horizontalAdvance(speed) < before[1][3]  # fits


@SHOWN
def test_columns_widen_with_the_text_size(qtbot: QtBot, runner: BackgroundRunner) -> None:
    actions = FakeActions()
    panel = DownloadsPanel(actions, DownloadEvents(actions), runner)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.resize(1400, 700)
    panel.show()
    qtbot.waitExposed(panel)
    before, progress_before = panel.job_table.columnWidth(2), panel.job_table.columnWidth(1)
    bigger = panel.font()
    bigger.setPointSizeF(bigger.pointSizeF() * 2)

    panel.setFont(bigger)

    qtbot.waitUntil(lambda: panel.job_table.columnWidth(2) > 1.5 * before, timeout=5_000)
    amount = panel.job_model.index(1, 2).data()
    assert panel.job_table.fontMetrics().horizontalAdvance(amount) < panel.job_table.columnWidth(2)
    assert panel.job_table.columnWidth(1) > 1.5 * progress_before  # the bar grows too
