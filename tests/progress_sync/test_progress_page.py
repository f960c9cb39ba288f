"""The Progress page: pending count, Sync now, the quarantine list and progress files."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from server_fixture import server_statement_ids

from desktop_app.api.xapi import PostReply
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.models import CheckIn
from desktop_app.progress import (
    Actor,
    OutboxQueue,
    Pending,
    ProgressExchange,
    ProgressLog,
    activity_base_for,
)
from desktop_app.progress.store import FROM_BETWEEN
from desktop_app.sync.outbox import quarantine_reason
from desktop_app.views.progress import FileDialogs, ProgressPage, confirm_sign_out
from desktop_app.views.progress.models import LESSON, REASON, VERB, QuarantineModel
from desktop_app.views.progress.quarantine import UNREADABLE, QuarantineRow, quarantine_row
from reference_server import ReferenceServer

from .devices import (
    PDF,
    QUIZ,
    VIDEO,
    Device,
    insert_raw_statement,
    stored_texts,
)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
SERVER = "https://rounds.example"
ANA = Actor(SERVER, "ana", "Ana Ortiz")


MakeLog = Callable[..., ProgressLog]


@pytest.fixture
def make_log(tmp_path: Path) -> Iterator[MakeLog]:
    opened: list[Database] = []

    def make(name: str = "laptop") -> ProgressLog:
        db = Database(tmp_path / f"{name}.sqlite3")
        opened.append(db)
        return ProgressLog(db, ANA, activity_base_for(SERVER))

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def log(make_log: MakeLog) -> ProgressLog:
    return make_log()


class Chooser:
    """Answers the page's file dialogs with a prepared path (or None: cancelled)."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.asked = path, 0

    def save(self, parent: object, title: str, suggested: str) -> Path | None:
        self.asked += 1
        return self.path

    def open(self, parent: object, title: str) -> Path | None:
        self.asked += 1
        return self.path

    @property
    def dialogs(self) -> FileDialogs:
        return FileDialogs(save=self.save, open=self.open)


def set_aside(log: ProgressLog) -> tuple[str, str]:
    """One refused statement about the quiz, and one whose stored text is unreadable."""
    with log.db.session() as session:
        refused = log.quiz_result(session, QUIZ, 0.5, False, {"q1": ["a"]})
        log.progressed(session, VIDEO, 10.0, 0.1)
    queue = OutboxQueue(log.db)
    queue.quarantine(refused, "The server refused this statement: result.score: too high")
    damaged = str(uuid.uuid4())
    insert_raw_statement(log, damaged, "{not json")
    queue.quarantine(damaged, "The server refused this statement: The body is not valid JSON.")
    return refused, damaged


def make_page(
    qtbot: QtBot, log: ProgressLog, runner: BackgroundRunner, chooser: Chooser
) -> ProgressPage:
    files = ProgressExchange(log.db, log.actor)
    page = ProgressPage(OutboxQueue(log.db), files, runner, dialogs=chooser.dialogs)
    qtbot.addWidget(page)
    return page


def finished(qtbot: QtBot, page: ProgressPage) -> str:
    qtbot.waitUntil(lambda: page.message.text() not in ("", "Working…"), timeout=10_000)
    return page.message.text()


def test_the_quarantine_model_is_a_sound_table(
    qtmodeltester: ModelTester, log: ProgressLog
) -> None:
    set_aside(log)
    model = QuarantineModel()
    model.set_rows([quarantine_row(item) for item in OutboxQueue(log.db).quarantined()])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0, VERB).data() == "failed"
    assert model.index(0, LESSON).data() == QUIZ.title
    assert model.index(1, LESSON).data() == UNREADABLE
    assert model.index(0, REASON).data().endswith("result.score: too high")
    assert isinstance(model.row_at(1), QuarantineRow)


class Bracketed(QTranslator):
    """A translation that puts every sentence of the quarantine's rows in «»."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return f"«{source}»" if context == "QuarantineRow" else ""


def test_why_a_statement_was_set_aside_is_in_the_window_language(
    qapp: QApplication, log: ProgressLog
) -> None:
    """The reasons the outbox stores are read back as sentences to translate, the server's
    own words inside them unchanged."""
    queue = OutboxQueue(log.db)
    reasons = [
        quarantine_reason(PostReply(400, reason="result.score: too high")),
        quarantine_reason(PostReply(409, reason="Statement id conflict.")),
        FROM_BETWEEN,
        "An older version's own words",
    ]
    with log.db.session() as session:
        for _ in reasons:
            log.progressed(session, VIDEO, 10.0, 0.1)
    waiting = queue.pending_batch(len(reasons))
    for (statement_id, _text), reason in zip(waiting, reasons, strict=True):
        queue.quarantine(statement_id, reason)
    model = QuarantineModel()
    translator = Bracketed()
    qapp.installTranslator(translator)
    try:
        model.set_rows([quarantine_row(item) for item in queue.quarantined()])
        shown = sorted(str(model.index(row, REASON).data()) for row in range(4))
    finally:
        qapp.removeTranslator(translator)
    assert shown == sorted(
        [
            "«The server refused this statement: result.score: too high»",
            "«The server already holds a different statement with the same id, so this one "
            "cannot be stored (Statement id conflict).»",
            f"«{FROM_BETWEEN}»",
            "An older version's own words",
        ]
    )


def test_the_page_shows_what_waits_and_what_was_set_aside(
    qtbot: QtBot, log: ProgressLog, runner: BackgroundRunner
) -> None:
    page = make_page(qtbot, log, runner, Chooser(None))
    assert page.pending.text() == "All your progress has reached the server."
    assert not page.export_quarantine_button.isEnabled()

    set_aside(log)
    page.refresh()

    assert page.pending.text() == "Progress from 1 lesson waiting to upload."
    assert page.quarantine_model.rowCount() == 2
    assert "refused 2 statements" in page.quarantine_note.text()
    assert page.export_quarantine_button.isEnabled()


def test_sync_now_asks_for_a_sync_and_waits_while_it_runs(
    qtbot: QtBot, log: ProgressLog, runner: BackgroundRunner
) -> None:
    page = make_page(qtbot, log, runner, Chooser(None))
    with qtbot.waitSignal(page.sync_requested, timeout=1_000):
        page.sync_button.click()
    page.set_syncing(True)
    assert not page.sync_button.isEnabled() and page.sync_button.text() == "Syncing…"
    page.set_syncing(False)
    assert page.sync_button.isEnabled()


def test_export_quarantine_writes_every_statement_set_aside_verbatim(
    qtbot: QtBot, log: ProgressLog, runner: BackgroundRunner, tmp_path: Path
) -> None:
    refused, damaged = set_aside(log)
    target = tmp_path / "out" / "quarantine.json"
    page = make_page(qtbot, log, runner, Chooser(target))

    page.export_quarantine_button.click()

    assert finished(qtbot, page) == "Exported 2 statements."
    document = json.loads(target.read_text(encoding="utf-8"))
    entries = {entry["id"]: entry for entry in document["statements"]}
    assert set(entries) == {refused, damaged}
    assert entries[damaged]["stored_text"] == "{not json" and entries[damaged]["statement"] is None
    assert entries[refused]["statement"]["id"] == refused
    assert entries[refused]["reason"].endswith("too high")


def test_send_again_offers_what_was_set_aside_and_it_uploads(
    qtbot: QtBot, laptop: Device, server: ReferenceServer, runner: BackgroundRunner
) -> None:
    ids = laptop.record(3)
    for statement_id in ids[:2]:  # set aside by an earlier version, behind a proxy's HTML 400
        laptop.queue.quarantine(statement_id, "The server refused this statement: Bad Request")
    page = make_page(qtbot, laptop.log, runner, Chooser(None))
    assert page.send_again_button.isEnabled()

    page.send_again_button.click()

    assert finished(qtbot, page) == "2 statements will be sent again at the next sync."
    assert page.quarantine_model.rowCount() == 0 and not page.send_again_button.isEnabled()
    assert page.pending.text() == "Progress from 1 lesson waiting to upload."
    assert laptop.outbox().upload().sent == 3
    assert sorted(server_statement_ids(server)) == sorted(ids)


def test_progress_moves_between_computers_by_file(
    qtbot: QtBot, make_log: MakeLog, runner: BackgroundRunner, tmp_path: Path
) -> None:
    laptop, ward_pc = make_log("laptop"), make_log("ward-pc")
    with laptop.db.session() as session:
        ids = [laptop.progressed(session, VIDEO, n * 5.0, n / 10) for n in range(5)]
    path = tmp_path / "ana-progress.json"
    exporting = make_page(qtbot, laptop, runner, Chooser(path))
    exporting.export_button.click()
    assert finished(qtbot, exporting) == "Exported 5 statements."

    importing = make_page(qtbot, ward_pc, runner, Chooser(path))
    with qtbot.waitSignal(importing.progress_imported, timeout=10_000) as imported:
        importing.import_button.click()

    assert imported.args == [5]
    assert finished(qtbot, importing) == "Imported 5 new statements."
    assert set(stored_texts(ward_pc)) == set(ids)
    assert importing.pending.text() == "Progress from 1 lesson waiting to upload."
    importing.import_button.click()
    qtbot.waitUntil(lambda: "already here" in importing.message.text(), timeout=10_000)


def test_the_page_counts_lessons_imported_progress_and_check_ins_in_one_line(
    qtbot: QtBot, make_log: MakeLog, runner: BackgroundRunner, tmp_path: Path
) -> None:
    laptop, ward_pc = make_log("laptop"), make_log("ward-pc")
    with laptop.db.session() as session:
        for step in range(4):
            laptop.progressed(session, VIDEO, step * 5.0, step / 10)
        laptop.quiz_result(session, QUIZ, 1.0, True, {"q1": ["a"]})
    ProgressExchange(laptop.db, ANA).export_to(tmp_path / "laptop.json")
    with ward_pc.db.session() as session:
        ward_pc.progressed(session, PDF, 0.0, 0.5)
        session.add(queued_check_in())
    ProgressExchange(ward_pc.db, ANA).import_from(tmp_path / "laptop.json")

    page = make_page(qtbot, ward_pc, runner, Chooser(None))

    assert page.pending.text() == "Progress from 3 lessons and 1 check-in waiting to upload."


def queued_check_in() -> CheckIn:
    """A check-in made while offline, waiting to be sent."""
    moment = datetime.now(UTC)
    return CheckIn(id=str(uuid.uuid4()), residency_id="r-1", code="OAK-17", device_time=moment)


def test_a_bad_progress_file_is_refused_in_plain_words(
    qtbot: QtBot, log: ProgressLog, runner: BackgroundRunner, tmp_path: Path
) -> None:
    path = tmp_path / "holiday-photos.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    page = make_page(qtbot, log, runner, Chooser(path))

    page.import_button.click()

    assert finished(qtbot, page) == "This is not a Rounds progress file."
    assert OutboxQueue(log.db).pending_count() == 0 and page.import_button.isEnabled()


def test_a_cancelled_file_dialog_does_nothing(
    qtbot: QtBot, log: ProgressLog, runner: BackgroundRunner
) -> None:
    chooser = Chooser(None)
    page = make_page(qtbot, log, runner, chooser)
    page.export_button.click()
    page.import_button.click()
    assert chooser.asked == 2 and page.message.text() == "" and not runner.busy


def answer_next_dialog(button_text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, click)


def test_sign_out_goes_ahead_when_nothing_waits(qtbot: QtBot) -> None:
    assert confirm_sign_out(None, Pending()) is True


@pytest.mark.parametrize(("answer", "signs_out"), [("Sign out anyway", True), ("Cancel", False)])
def test_sign_out_warns_while_statements_wait(qtbot: QtBot, answer: str, signs_out: bool) -> None:
    answer_next_dialog(answer)
    assert confirm_sign_out(None, Pending(lessons=2, statements=3)) is signs_out


def test_a_reason_kept_as_a_proxys_web_page_is_shown_as_one_short_sentence(
    qtbot: QtBot, log: ProgressLog, runner: BackgroundRunner
) -> None:
    with log.db.session() as session:
        refused = log.progressed(session, VIDEO, 10.0, 0.1)
    page_text = (
        "The server refused this statement: <html><head><title>Request Rejected</title></head>"
        "<body>The requested URL was rejected.<br>Your support ID is: 14729603815551</body></html>"
    )
    OutboxQueue(log.db).quarantine(refused, page_text)
    page = make_page(qtbot, log, runner, Chooser(None))

    shown = page.quarantine_model.index(0, REASON).data()

    assert "<" not in shown and "support ID" not in shown and len(shown) < 160
    assert "proxy or firewall" in shown
