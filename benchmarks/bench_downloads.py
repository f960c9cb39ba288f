"""Downloading one 200 MB lesson file: the app's download queue against curl, same server, same run.

The reference server runs in this process on loopback and publishes a course with one video
lesson whose file is 200 MB of random bytes. Each round fetches that file three times, one
after the other: `curl -o f && sha256sum f && sync f` (the pipeline that does what the app
does: fetch, check, make durable), plain `curl -o f`, then the app in a fresh process
(`python -m benchmarks.bench_downloads --client …`), which signs in with `Account.sign_in`,
syncs, and times `DownloadManager` plan + download + start + `wait_until_idle` — the app's
work on top of the transfer (SHA-256 of every chunk, fsync of the file and of its folder, the
queue's SQLite rows) is in the figure. The curl sides are timed from the start of the command
to its end (a process start of a few milliseconds included). Before each side the page cache
is flushed (`os.sync`), so no side pays for another's writes. Each figure is the median of the
rounds with the range of the per-round ratios (`benchmarks.pairs`).

The peer row: the same app process fetching the file from a peer instead — a share server
(`desktop_app.peers.server`) in this process on loopback over a content store that holds the
file — against the app's server download of the same round; the server's request log must show
that it was not asked for the file.

The client process holds only the client, so its resident set size (RSS, psutil, sampled every
10 ms) grows only by what the download adds; the figure is the higher of the rounds.
MB here is 1,000,000 bytes, as the app shows sizes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from benchmarks.memory import rss_high_water
from benchmarks.pairs import Pairs, alternate, paired_figure
from benchmarks.table import Figure
from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.downloads import DownloadManager, DownloadState
from desktop_app.downloads.units import MB
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.server import ShareServer
from reference_server import ReferenceServer

FILE_BYTES = 200 * MB
BLOCK_BYTES = 4 * MB
ROUNDS = 5
TIMEOUT_SECONDS = 900
MEMORY_LIMIT_MB = 50.0
SAMPLE_SECONDS = 0.01
WAIT_SECONDS = 120.0
USER, PASSWORD = "bench", "bench-password"
COURSE_ID, LESSON_ID = "c-bench-download", "l-bench-download"
CURL = "/usr/bin/curl"
REPO = Path(__file__).resolve().parents[1]


# --- set-up: the file and the course ---------------------------------------------------------


def write_random_file(path: Path, size: int = FILE_BYTES) -> str:
    """`size` random bytes written in blocks; returns their SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for offset in range(0, size, BLOCK_BYTES):
            block = os.urandom(min(BLOCK_BYTES, size - offset))
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def publish(server: ReferenceServer, path: Path) -> str:
    """Publish a course with one video lesson holding `path`; returns the file's SHA-256."""
    sha256 = server.admin.add_asset_file(path, "video/mp4")
    lesson = {
        "id": LESSON_ID,
        "title": "A long recorded lecture",
        "kind": "video",
        "assets": [{"sha256": sha256, "role": "media", "name": "lecture.mp4"}],
    }
    module = {"id": "m-bench-download", "title": "Module 1", "lessons": [lesson]}
    server.admin.add_course({"id": COURSE_ID, "title": "Big file", "modules": [module]})
    server.admin.add_user(USER, PASSWORD, "Benchmark")
    return sha256


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- curl ------------------------------------------------------------------------------------


def access_token(server_url: str) -> str:
    reply = requests.post(
        f"{server_url}/api/v1/auth/token",
        json={"username": USER, "password": PASSWORD},
        timeout=30,
    )
    reply.raise_for_status()
    return str(reply.json()["access_token"])


def curl_seconds(server_url: str, sha256: str, target: Path, *, check_and_sync: bool) -> float:
    """Wall time of `curl -o FILE` (with `&& sha256sum FILE && sync FILE` if `check_and_sync`);
    the file is then checked for size and digest, and deleted."""
    quoted = shlex.quote(str(target))
    url = f"{server_url}/api/v1/assets/{sha256}"
    header = f"Authorization: Bearer {access_token(server_url)}"
    script = f"{CURL} -sf -o {quoted} -H {shlex.quote(header)} {shlex.quote(url)}"
    if check_and_sync:
        script += f" && sha256sum {quoted} && sync {quoted}"
    os.sync()
    started = time.perf_counter()
    reply = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, timeout=WAIT_SECONDS
    )
    seconds = time.perf_counter() - started
    if reply.returncode != 0 or target.stat().st_size != FILE_BYTES:
        raise RuntimeError(f"curl did not fetch the file whole: {reply.stderr}")
    if file_sha256(target) != sha256:
        raise RuntimeError("curl's copy does not match its SHA-256")
    target.unlink()
    return seconds


# --- the app, in its own process ------------------------------------------------------------


@dataclass(frozen=True)
class ClientRun:
    seconds: float
    rss_before: int
    rss_peak: int
    stored: str  # where the store put the file
    cpu_seconds: float = 0.0  # the client process's CPU time (all threads) during the download

    @property
    def growth_mb(self) -> float:
        return (self.rss_peak - self.rss_before) / MB


def client_download(server_url: str, folder: Path, sha256: str, peer: str = "") -> ClientRun:
    """In the client process: sign in, sync, then time the download of the course (from
    `peer` first, if one is given)."""
    account = Account.sign_in(server_url, USER, PASSWORD)
    try:
        account.sync()
        store = ContentStore(folder / "content")
        peers = PeerList([peer]) if peer else None
        manager = DownloadManager.for_settings(
            account.db, store, account.api, account.settings, peers=peers
        )
        try:
            with rss_high_water(SAMPLE_SECONDS) as rss:
                started, cpu = time.perf_counter(), time.process_time()
                manager.download(manager.plan(COURSE_ID))
                manager.start()
                idle = manager.wait_until_idle(WAIT_SECONDS)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            states = {job.state for job in manager.snapshot().jobs}
        finally:
            manager.close()
    finally:
        account.close()
    if not idle or states != {DownloadState.DONE} or not store.has(sha256):
        raise RuntimeError(f"the download did not finish: idle={idle}, states={states}")
    return ClientRun(seconds, rss[0], rss[1], str(store.path_for(sha256)), cpu)


def app_download(server_url: str, folder: Path, sha256: str, peer: str = "") -> ClientRun:
    """Run `client_download` in a fresh process whose home and keyring are private."""
    env = {
        **os.environ,
        "ROUNDS_HOME": str(folder / "home"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    command = [sys.executable, "-m", "benchmarks.bench_downloads", "--client"]
    reply = subprocess.run(
        [*command, server_url, str(folder), sha256, *([peer] if peer else [])],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=WAIT_SECONDS + 60,
    )
    if reply.returncode != 0:
        raise RuntimeError(f"the client process failed:\n{reply.stderr}")
    result = ClientRun(**json.loads(reply.stdout.strip().splitlines()[-1]))
    if file_sha256(Path(result.stored)) != sha256:
        raise RuntimeError("the stored file does not match its SHA-256")
    shutil.rmtree(folder)
    return result


def client_main(argv: list[str]) -> int:
    server_url, folder, sha256, *peer = argv
    result = client_download(server_url, Path(folder), sha256, *peer)
    print(json.dumps(asdict(result)))
    return 0


# --- the run -------------------------------------------------------------------------------


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rounds-bench-downloads-") as name:
        root = Path(name)
        source = root / "lecture.bin"
        expected = write_random_file(source)
        server = ReferenceServer(root / "server").start()
        try:
            sha256 = publish(server, source)
            if sha256 != expected:
                raise RuntimeError("the server stored the file under another SHA-256")
            sharer = ContentStore(root / "sharer")
            sharer.path_for(sha256).parent.mkdir(parents=True)
            source.replace(sharer.path_for(sha256))
            with ShareServer(sharer, "127.0.0.1") as share:
                return _measure(server, root, sha256, share.url)
        finally:
            server.stop()


def _measure(server: ReferenceServer, root: Path, sha256: str, share: str) -> list[Figure]:
    """Alternating rounds: the curl pipeline, plain curl, the app from the peer `share`, then
    the app from the server (MB/s each)."""
    url = server.url
    plain: list[float] = []
    peered: list[float] = []
    app: list[ClientRun] = []

    def curls(n: int) -> float:
        piped = curl_seconds(url, sha256, root / f"curl-{n}.bin", check_and_sync=True)
        plain.append(_rate(curl_seconds(url, sha256, root / f"curl-{n}.bin", check_and_sync=False)))
        peered.append(_from_peer(server, root / f"peer-{n}", sha256, share))
        return _rate(piped)

    def ours(n: int) -> float:
        os.sync()
        app.append(app_download(url, root / f"app-{n}", sha256))
        return _rate(app[-1].seconds)

    piped = alternate(ours, curls, ROUNDS)
    return _figures(piped, Pairs(piped.ours, plain), app, Pairs(peered, piped.ours))


def _from_peer(server: ReferenceServer, folder: Path, sha256: str, share: str) -> float:
    """The app's rate fetching the file from the peer; the server must not be asked for it."""
    path = f"/api/v1/assets/{sha256}"
    asked = sum(1 for r in server.requests if r.path == path)
    os.sync()
    seconds = app_download(server.url, folder, sha256, share).seconds
    if sum(1 for r in server.requests if r.path == path) != asked:
        raise RuntimeError("the server was asked for the file the peer holds")
    return _rate(seconds)


def _rate(seconds: float) -> float:
    return FILE_BYTES / MB / seconds


def _figures(piped: Pairs, plain: Pairs, app: list[ClientRun], peered: Pairs) -> list[Figure]:
    growth = max(run.growth_mb for run in app)
    where = "in-process reference server on loopback; app = plan + download + start + "
    where += "wait_until_idle in its own process, SHA-256 checked, fsync'd"
    return [
        paired_figure("download 200 MB: throughput vs curl + sha256sum + sync", piped, "MB/s",
                      0.9, higher_is_better=True,
                      note=f"{where}; peer = `curl -o f && sha256sum f && sync f`, wall time"),
        paired_figure("download 200 MB: throughput vs plain curl", plain, "MB/s", None,
                      higher_is_better=True,
                      note="peer = `curl -o f`, wall time, neither checked nor made durable; "
                           "for reference: the target is the row above, whose peer does "
                           "what the app does"),
        Figure("download 200 MB: peak memory growth", growth, MEMORY_LIMIT_MB, "MB", 1.0,
               note=f"RSS high-water above the level before the download, sampled every "
                    f"{SAMPLE_SECONDS * 1000:.0f} ms in the client process (server not "
                    f"included); the higher of {ROUNDS} runs: "
                    + ", ".join(f"{run.growth_mb:.1f}" for run in app)),
        paired_figure("download 200 MB: from a peer vs from the server", peered, "MB/s", 0.9,
                      higher_is_better=True,
                      note="ours = the app from a share server on loopback (server not asked), "
                           "peer = the app from the reference server, same round"),
    ]  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] != ["--client"]:
        sys.exit("usage: python -m benchmarks.bench_downloads --client URL FOLDER SHA256")
    sys.exit(client_main(sys.argv[2:]))
