"""A disk that fills up and a bug in the middle of a file: the download pauses or fails with one
line, and the worker threads go on.

A full disk cannot be made without root (a small tmpfs needs a mount), so these tests put a
stand-in for the disk under the partial files: the fetch code's `open` for appending; and, for
a database the full disk will not take writes into, a queue table whose state writes fail.
"""

from __future__ import annotations

import builtins
import errno
import io
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import IO, Any

import pytest
from downloads_samples import (
    WAIT,
    MakeManager,
    MiB,
    asset_requests,
    mirror_catalog,
    publish_course,
    random_file,
    range_start,
)
from sqlalchemy.exc import OperationalError

from desktop_app.api.client import ApiClient
from desktop_app.cli.download import download_course
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import Settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadState, fetch
from desktop_app.downloads.jobs import JobTable
from desktop_app.downloads.units import format_bytes
from reference_server.server import ReferenceServer

NO_FLOOR = Settings(disk_floor_mb=0)


class InjectedDisk:
    """Writes to partial files fail as a real disk's would: ENOSPC past `room` free bytes (the
    bytes that fit are written first), or a bug for the files in `broken`."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.broken: set[Path] = set()
        self._lock = threading.Lock()

    def open(self, path: Path, mode: str = "r", *args: Any, **kw: Any) -> IO[Any] | _Handle:
        handle = builtins.open(path, mode, *args, **kw)  # noqa: SIM115 - the fetch code closes it
        return _Handle(handle, path, self) if "a" in mode else handle

    def write(self, handle: IO[bytes], path: Path, data: bytes) -> int:
        if path in self.broken:
            raise RuntimeError("injected bug\nsecond line")
        with self._lock:
            granted = min(len(data), self.room)
            self.room -= granted
        handle.write(data[:granted])
        if granted < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return granted


class _Handle:
    def __init__(self, handle: IO[bytes], path: Path, disk: InjectedDisk) -> None:
        self._handle, self._path, self._disk = handle, path, disk

    def write(self, data: bytes) -> int:
        return self._disk.write(self._handle, self._path, data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> InjectedDisk:
    injected = InjectedDisk(room=10**12)
    monkeypatch.setattr(fetch, "open", injected.open, raising=False)
    return injected


def workers_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("download-")]


def test_a_full_disk_pauses_the_queue_with_the_space_needed_and_resume_finishes_it(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    disk: InjectedDisk,
) -> None:
    files = [random_file("one.mp4", 2 * MiB), random_file("two.mp4", MiB)]
    first, second = publish_course(reference_server, "c-full", files)
    mirror_catalog(client, db)
    disk.room = 3 * MiB // 2
    manager = make_manager(parallelism=1)

    manager.download(manager.plan("c-full"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    kept = store.partial_path(first).read_bytes()
    assert kept == files[0].data[: 3 * MiB // 2]
    expected = (
        f"Not enough disk space in {store.root}: "
        f"{format_bytes(2 * MiB - len(kept))} more are needed."
    )
    jobs = manager.snapshot().jobs_of("c-full")
    assert [(job.state, job.error) for job in jobs] == [(DownloadState.PAUSED, expected)] * 2
    course = manager.snapshot().course("c-full")
    assert course is not None and course.error == expected
    assert not store.partial_path(second).exists()
    assert workers_alive() == ["download-0"]

    disk.room = 10 * MiB  # the learner freed some space
    manager.resume("c-full")

    assert manager.wait_until_idle(WAIT)
    course = manager.snapshot().course("c-full")
    assert course is not None and course.state == DownloadState.DONE
    assert range_start(asset_requests(reference_server, first)[-1]) == len(kept)
    assert store.path_for(first).read_bytes() == files[0].data
    assert store.path_for(second).read_bytes() == files[1].data


@pytest.mark.expect_log("desktop_app.downloads.retry", "unexpected error")
def test_a_bug_while_writing_fails_only_that_file_and_the_worker_takes_the_next(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    disk: InjectedDisk,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    files = [random_file("one.mp4", MiB), random_file("two.mp4", MiB)]
    first, second = publish_course(reference_server, "c-bug", files)
    mirror_catalog(client, db)
    disk.broken.add(store.partial_path(first))
    manager = make_manager(parallelism=1)

    manager.download(manager.plan("c-bug"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    broken, fine = manager.snapshot().jobs_of("c-bug")
    assert broken.state == DownloadState.FAILED
    assert broken.error == (
        "The download stopped on an unexpected error (RuntimeError: injected bug); "
        "details are in the log."
    )
    assert fine.state == DownloadState.DONE
    assert store.path_for(second).read_bytes() == files[1].data
    assert workers_alive() == ["download-0"]
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert any(isinstance(r.exc_info[1], RuntimeError) for r in logged if r.exc_info)
    assert "Traceback" not in capfd.readouterr().err


def _database_full(*args: object, **kw: object) -> None:
    raise OperationalError("UPDATE download_job", {}, sqlite3.OperationalError("disk is full"))


@pytest.mark.expect_log("desktop_app.downloads.queue_core", "Could not save the download queue")
def test_when_the_database_cannot_be_written_either_the_queue_pauses_in_memory(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    disk: InjectedDisk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = random_file("one.mp4", 2 * MiB)
    (digest,) = publish_course(reference_server, "c-db-full", [sample])
    mirror_catalog(client, db)
    manager = make_manager(parallelism=1)
    manager.download(manager.plan("c-db-full"))
    disk.room = MiB
    monkeypatch.setattr(JobTable, "set_state", _database_full)

    manager.start()

    assert manager.wait_until_idle(WAIT)
    (job,) = manager.snapshot().jobs_of("c-db-full")
    assert job.state == DownloadState.PAUSED and job.error.startswith("Not enough disk space")
    (row,) = JobTable(db).load()
    assert (row.state, row.error) == (DownloadState.QUEUED, "")  # as it was
    assert store.partial_size(digest) == MiB
    assert workers_alive() == ["download-0"]

    monkeypatch.undo()
    disk.room = 10 * MiB
    manager.resume("c-db-full")

    assert manager.wait_until_idle(WAIT)
    assert store.path_for(digest).read_bytes() == sample.data


def test_a_disk_filling_up_exits_no_space_saying_in_one_line_how_much_room_is_needed(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    disk: InjectedDisk,
) -> None:
    sample = random_file("one.mp4", 2 * MiB)
    (digest,) = publish_course(reference_server, "c-cli-full", [sample])
    mirror_catalog(client, db)
    disk.room = MiB
    err = io.StringIO()

    code = download_course(
        client, db, store, "c-cli-full", out=io.StringIO(), err=err, settings=NO_FLOOR
    )

    needed = format_bytes(2 * MiB - store.partial_size(digest))
    assert code == ExitCode.NO_SPACE
    assert err.getvalue() == (
        f"rounds download: Not enough disk space in {store.root}: {needed} more are needed.\n"
    )
