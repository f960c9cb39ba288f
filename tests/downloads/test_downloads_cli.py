"""`rounds download COURSE` as a function: progress on a terminal or a log, exit codes, reasons."""

from __future__ import annotations

import io
from collections import namedtuple
from pathlib import Path
from typing import Any

from downloads_samples import (
    FAST_RETRY,
    MakeManager,
    MiB,
    asset_requests,
    mirror_catalog,
    publish_course,
    unreachable_client,
)
from downloads_samples import random_file as sample

from desktop_app.api.client import ApiClient
from desktop_app.cli.download import download_course
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import Settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from reference_server.server import ReferenceServer

DiskUsage = namedtuple("DiskUsage", "total used free")
PLENTY = Settings(disk_floor_mb=0)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(
    client: ApiClient,
    db: Database,
    store: ContentStore,
    course: str,
    out: io.StringIO | None = None,
    settings: Settings = PLENTY,
    **options: Any,
) -> tuple[int, str, str]:
    """Runs the command; returns (exit code, stdout, stderr)."""
    out, err = out or io.StringIO(), io.StringIO()
    code = download_course(
        client, db, store, course, out=out, err=err, settings=settings, retry=FAST_RETRY, **options
    )
    return code, out.getvalue(), err.getvalue()


def test_a_course_downloads_with_progress_lines_and_a_summary(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    publish_course(reference_server, "c-cli", [sample("a.mp4", MiB), sample("b.pdf", MiB)], "CLI")
    (other,) = publish_course(reference_server, "c-other", [sample("o.mp4", 1000)])
    mirror_catalog(client, db)
    app = make_manager()  # the app queued another course and quit before starting it
    app.download(app.plan("c-other"))
    app.close()

    code, out, err = run(client, db, store, "c-cli")

    assert (code, err) == (ExitCode.OK, "")
    lines = out.splitlines()
    assert lines[0] == "Downloading “CLI”: 2 files, 2.0 MB."
    assert lines[-2].startswith("[" + "#" * 30 + "] 100%  2.0 MB of 2.0 MB")
    assert lines[-1].startswith("Downloaded “CLI”: 2 files, 2.0 MB in ")
    assert asset_requests(reference_server, other) == []  # left queued for the app
    code, again, _ = run(client, db, store, "c-cli")
    assert (code, again) == (ExitCode.OK, "“CLI” is already downloaded (2 files, 2.0 MB).\n")


def test_on_a_terminal_the_bar_is_redrawn_in_place(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    publish_course(reference_server, "c-tty", [sample("a.mp4", 2 * MiB)], "TTY")
    mirror_catalog(client, db)

    code, out, _ = run(client, db, store, "c-tty", out=Terminal())

    assert code == ExitCode.OK
    announcement, bar, summary = out.split("\n", 2)
    assert announcement == "Downloading “TTY”: 1 file, 2.0 MB."
    assert bar.startswith("\r[") and "100%" in bar.rsplit("\r", 1)[-1]
    assert summary.startswith("Downloaded “TTY”")


def test_an_unknown_course_exits_not_found_with_the_reason(
    client: ApiClient, db: Database, store: ContentStore
) -> None:
    code, out, err = run(client, db, store, "c-nope")
    assert (code, out) == (ExitCode.NOT_FOUND, "")
    assert err.startswith("rounds download: There is no course “c-nope”") and err.count("\n") == 1


def test_a_download_crossing_the_disk_floor_exits_no_space_and_fetches_nothing(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    (digest,) = publish_course(reference_server, "c-full", [sample("a.mp4", 3 * MiB)])
    mirror_catalog(client, db)

    def tight_disk(_path: Path) -> DiskUsage:
        return DiskUsage(0, 0, 501 * 1_000_000)

    code, _out, err = run(
        client, db, store, "c-full", settings=Settings(disk_floor_mb=500), disk_usage=tight_disk
    )

    assert code == ExitCode.NO_SPACE
    assert "needs 3.1 MB, but Rounds keeps 500 MB free on this disk, so only 1.0 MB can" in err
    assert asset_requests(reference_server, digest) == [] and not store.has(digest)


def test_an_unreachable_server_exits_failed_with_the_reason(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    publish_course(reference_server, "c-off", [sample("a.mp4", 1000)])
    mirror_catalog(client, db)
    offline = unreachable_client()

    code, _out, err = run(offline, db, store, "c-off")

    offline.close()
    assert code == ExitCode.FAILED
    assert err.startswith("rounds download: the download stopped: ")
    assert offline.transport.host in err and err.count("\n") == 1
