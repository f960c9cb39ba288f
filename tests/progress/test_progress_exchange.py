"""Export and import for machines that are never online: same state, damaged files refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from progress_samples import PDF, QUIZ, SERVER, VIDEO, Device, FakeClock, MakeDevice

from desktop_app.progress import (
    Actor,
    OutboxQueue,
    ProgressExchange,
    ProgressFileError,
    ProgressLog,
)
from desktop_app.progress.exchange import write_quarantine_file

LESSON_IDS = [VIDEO.lesson_id, PDF.lesson_id, QUIZ.lesson_id]


def study(log: ProgressLog, clock: FakeClock) -> None:
    """An afternoon offline: a video half watched, a pdf read, a quiz failed then passed."""
    video = log.recorder_for(VIDEO)
    video.opened()
    for second in range(0, 95, 1):
        clock.advance(1)
        video.progressed(second, second / 190)
    video.closed()
    pdf = log.recorder_for(PDF)
    pdf.opened()
    pdf.progressed(7, 1.0)
    pdf.complete()
    pdf.closed()
    quiz = log.recorder_for(QUIZ)
    quiz.opened()
    quiz.quiz_scored(0.5, False, {"q1": ["a"]})
    quiz.quiz_scored(1.0, True, {"q1": ["b"]})
    quiz.closed()


def states(log: ProgressLog) -> list[Any]:
    return [log.lesson_state(lesson_id) for lesson_id in LESSON_IDS]


def snapshot(device: Device) -> tuple[Any, ...]:
    return (states(device.log), device.queue.pending_count(), device.queue.pending_batch(10_000))


def exported(device: Device, clock: FakeClock, path: Path) -> dict[str, Any]:
    study(device.log, clock)
    device.exchange.export_to(path)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_an_export_imported_on_another_machine_gives_the_same_state(
    make_device: MakeDevice, clock: FakeClock, tmp_path: Path
) -> None:
    offline, online = make_device("offline"), make_device("online")
    study(offline.log, clock)
    assert offline.exchange.export_to(tmp_path / "ana.json") > 0
    assert online.exchange.import_from(tmp_path / "ana.json") == offline.queue.pending_count()
    assert states(online.log) == states(offline.log)
    assert online.log.course_state("c-foundations", LESSON_IDS).percent_complete == 66
    assert online.exchange.import_from(tmp_path / "ana.json") == 0  # a second import adds nothing
    assert states(online.log) == states(offline.log)


def test_imported_progress_is_queued_for_upload(
    make_device: MakeDevice, clock: FakeClock, tmp_path: Path
) -> None:
    offline, online = make_device("offline"), make_device("online")
    study(offline.log, clock)
    offline.exchange.export_to(tmp_path / "ana.json")
    online.exchange.import_from(tmp_path / "ana.json")
    assert online.queue.pending_count() == offline.queue.pending_count()


def test_the_file_names_its_format_learner_and_checksum(
    device: Device, clock: FakeClock, tmp_path: Path
) -> None:
    document = exported(device, clock, tmp_path / "ana.json")
    assert (document["format"], document["version"]) == ("rounds-progress", 1)
    assert document["actor"]["account"] == {"homePage": SERVER, "name": "ana"}
    canonical = json.dumps(
        document["statements"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert document["sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert not list(tmp_path.glob(".ana.json.*"))  # no temporary file left behind


def tamper_score(document: dict[str, Any]) -> None:
    failed = next(s for s in document["statements"] if s["verb"]["id"].endswith("/failed"))
    failed["result"]["score"]["scaled"] = 1.0


def drop_statement(document: dict[str, Any]) -> None:
    document["statements"].pop()


def forge_learner(document: dict[str, Any]) -> None:
    for statement in document["statements"]:
        statement["actor"]["account"]["name"] = "ben"
    document["actor"]["account"]["name"] = "ben"
    statements = document["statements"]
    canonical = json.dumps(statements, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    document["sha256"] = hashlib.sha256(canonical.encode()).hexdigest()


def other_format(document: dict[str, Any]) -> None:
    document["format"] = "something-else"


def newer_version(document: dict[str, Any]) -> None:
    document["version"] = 2


def no_checksum(document: dict[str, Any]) -> None:
    del document["sha256"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (tamper_score, "changed after it was exported"),
        (drop_statement, "checksum mismatch"),
        (no_checksum, "checksum mismatch"),
        (forge_learner, "holds the progress of ben, not of ana"),
        (other_format, "not a Rounds progress file"),
        (newer_version, "format version 2"),
    ],
)
def test_a_changed_file_is_refused_and_the_log_is_unchanged(
    make_device: MakeDevice,
    clock: FakeClock,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    path = tmp_path / "ana.json"
    document = exported(make_device("offline"), clock, path)
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    target = make_device("online")
    with target.log.db.session() as session:
        target.log.completed(session, VIDEO)
    before = snapshot(target)
    with pytest.raises(ProgressFileError, match=message):
        target.exchange.import_from(path)
    assert snapshot(target) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "rounds-progress", "version": 1, "statem', "not JSON"),
        (b"\xff\xfe\x00garbage", "not a Rounds progress file"),
        (b"[1, 2, 3]", "not a Rounds progress file"),
        (b'{"format": "rounds-progress", "version": 1, "statements": {}}', "no list"),
    ],
)
def test_a_broken_file_gets_a_clear_message(
    device: Device, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(ProgressFileError, match=message):
        device.exchange.import_from(path)
    assert device.queue.pending_count() == 0


def test_a_missing_file_gets_a_clear_message(exchange: ProgressExchange, tmp_path: Path) -> None:
    with pytest.raises(ProgressFileError, match="Could not read"):
        exchange.import_from(tmp_path / "nowhere.json")


def test_a_file_with_a_broken_statement_is_refused_whole(
    make_device: MakeDevice, clock: FakeClock, tmp_path: Path
) -> None:
    path = tmp_path / "ana.json"
    document = exported(make_device("offline"), clock, path)
    document["statements"][3]["timestamp"] = "yesterday"
    statements = document["statements"]
    canonical = json.dumps(statements, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    document["sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    path.write_text(json.dumps(document), encoding="utf-8")
    target = make_device("online")
    with pytest.raises(ProgressFileError, match="statement 4: timestamp"):
        target.exchange.import_from(path)
    assert target.queue.pending_count() == 0


def test_an_export_of_another_learner_cannot_be_imported(
    make_device: MakeDevice, clock: FakeClock, tmp_path: Path
) -> None:
    ben = make_device("ben", Actor(SERVER, "ben", "Ben Okafor"))
    study(ben.log, clock)
    ben.exchange.export_to(tmp_path / "ben.json")
    ana = make_device("ana")
    with pytest.raises(ProgressFileError, match="progress of ben"):
        ana.exchange.import_from(tmp_path / "ben.json")
    assert ana.log.lesson_state(QUIZ.lesson_id).attempts == 0


def test_the_quarantine_file_keeps_each_refused_statement_verbatim(
    log: ProgressLog, queue: OutboxQueue, tmp_path: Path
) -> None:
    with log.db.session() as session:
        refused = log.completed(session, VIDEO)
    queue.quarantine(refused, "409 Conflict: same id, different content")
    path = tmp_path / "out" / "quarantine.json"
    assert write_quarantine_file(path, queue.quarantined()) == 1
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("rounds-quarantine", 1)
    [entry] = document["statements"]
    assert (entry["id"], entry["reason"]) == (refused, "409 Conflict: same id, different content")
    assert entry["statement"]["id"] == refused
    assert json.loads(entry["stored_text"]) == entry["statement"]
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_the_exchange_exports_the_statements_the_server_refused(
    log: ProgressLog, queue: OutboxQueue, exchange: ProgressExchange, tmp_path: Path
) -> None:
    with log.db.session() as session:
        refused = log.completed(session, VIDEO)
        log.completed(session, PDF)
    queue.quarantine(refused, "409 Conflict: same id, different content")
    path = tmp_path / "quarantine.json"
    assert exchange.export_quarantine(path) == 1
    document = json.loads(path.read_text(encoding="utf-8"))
    assert [entry["id"] for entry in document["statements"]] == [refused]
    assert queue.pending_count() == 1  # the accepted statement still waits for upload
