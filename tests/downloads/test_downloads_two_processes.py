"""The window and `rounds download` at once on one account: each file is fetched once, whole."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

from downloads_samples import (
    FAST_RETRY,
    REPOSITORY,
    MiB,
    asset_requests,
    held_elsewhere,
    mirror_catalog,
    publish_course,
    wait_for,
)
from downloads_samples import random_file as sample
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.cli.download import download_course
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import Settings, content_store
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadManager, DownloadState
from desktop_app.downloads.snapshot import WAITING_ELSEWHERE
from reference_server.server import ReferenceServer

WAIT = 60.0


def start_download_command(server: ReferenceServer, course: str) -> subprocess.Popen[str]:
    """`python -m desktop_app download COURSE` for the demo learner, on the test's data home,
    with a keyring that keeps nothing (the real user's is never touched)."""
    env = {
        **os.environ,
        "ROUNDS_PASSWORD": DEMO_PASSWORD,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    command = [sys.executable, "-m", "desktop_app", "download", course]
    command += ["--server", server.url, "--user", DEMO_USER]
    return subprocess.Popen(
        command, cwd=REPOSITORY, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stored_digest(store: ContentStore, digest: str) -> str:
    return hashlib.sha256(store.path_for(digest).read_bytes()).hexdigest()


def test_the_window_and_the_download_command_fetch_each_file_once(
    reference_server: ReferenceServer, account: Account
) -> None:
    files = [sample(f"{n}.mp4", MiB) for n in range(5)]
    digests = publish_course(reference_server, "c-twice", files, "Twice")
    mirror_catalog(account.api, account.db)
    reference_server.faults.add("/api/v1/assets/", method="GET", delay=1.0, count=100)
    store = ContentStore(content_store())
    command = start_download_command(reference_server, "c-twice")
    try:
        # The command holds a file's lock from before it asks for the file.
        wait_for(lambda: any(asset_requests(reference_server, d) for d in digests), WAIT)
        window = DownloadManager(
            account.db, store, account.api, disk_floor_bytes=0, retry=FAST_RETRY
        )
        try:
            window.download(window.plan("c-twice"))
            window.start()
            assert window.wait_until_idle(WAIT, "c-twice")
            course = window.snapshot().course("c-twice")
        finally:
            window.close()
        out, err = command.communicate(timeout=WAIT)
    finally:
        command.kill()

    assert (command.returncode, err) == (ExitCode.OK, ""), out
    assert course is not None and course.state == DownloadState.DONE
    assert [len(asset_requests(reference_server, d)) for d in digests] == [1] * len(digests)
    assert [stored_digest(store, d) for d in digests] == digests
    assert list((store.root / "partial").iterdir()) == []


WRITE_AND_HOLD = """
import sys
from pathlib import Path
from desktop_app.content_store import ContentStore
with ContentStore(Path(sys.argv[1])).holding_partial(sys.argv[2]) as partial:
    partial.write_bytes(b"half a file")
    print("writing", flush=True)
    sys.stdin.read()
"""


def test_a_partial_file_another_process_writes_is_never_deleted_under_it(tmp_path: Path) -> None:
    store, digest = ContentStore(tmp_path / "content"), "ab" * 32
    command = [sys.executable, "-c", WRITE_AND_HOLD, str(store.root), digest]
    writer = subprocess.Popen(
        command, cwd=REPOSITORY, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        assert store.release([digest]) == 0  # a cancel or a removal here leaves it alone
        assert store.partial_size(digest) == len(b"half a file")
    finally:
        writer.communicate("")  # the writer lets go of the file and ends

    assert writer.returncode == 0
    assert store.remove_partial(digest) == len(b"half a file")
    assert list((store.root / "partial").iterdir()) == []


def test_the_command_says_it_waits_while_another_process_holds_the_file(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    held = sample("held.mp4", MiB)
    (digest,) = publish_course(reference_server, "c-held", [held])
    mirror_catalog(client, db)
    out, codes = io.StringIO(), []

    def command() -> None:
        settings = Settings(disk_floor_mb=0)
        codes.append(download_course(client, db, store, "c-held", out=out, settings=settings))

    with held_elsewhere(store, digest) as release:
        runner = threading.Thread(target=command)
        runner.start()
        try:
            wait_for(lambda: WAITING_ELSEWHERE in out.getvalue(), WAIT)
            assert not store.has(digest) and not asset_requests(reference_server, digest)
        finally:
            release()
            runner.join(WAIT)

    assert codes == [ExitCode.OK]
    assert store.path_for(digest).read_bytes() == held.data
    assert out.getvalue().rstrip().splitlines()[-1].startswith("Downloaded")
