"""Peers are looked for only while fetching from them is on (`fetch_from_peers`, off by default,
a setting IT's policy may lock): off, a real start that downloads a course never imports
zeroconf nor holds an mDNS socket; on, the first download begins the search. Turned off in
the settings, the search stops and its sockets close.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mdns_sockets import mdns_sockets
from peer_samples import COURSE
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.config import Settings, save_settings
from desktop_app.content_store import ContentStore
from desktop_app.gui.background import BackgroundRunner
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.sharing import Sharing
from desktop_app.views.share_toggle import share_toggle_for
from reference_server.server import ReferenceServer

ROOT = Path(__file__).resolve().parents[2]
START_S = 120  # a whole start in a child process, generously

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="sockets read from /proc")

# The window's account, signed in and synced, downloads the course; then what it loaded.
A_START = """
import json, os, sys
from pathlib import Path
from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.study import Study
from mdns_sockets import mdns_sockets

url, user, password, course = sys.argv[1:]
account = Account.sign_in(url, user, password)
study = Study(account, ContentStore(Path(os.environ["ROUNDS_HOME"]) / "content"))
try:
    study.sync()
    manager = study.downloads
    manager.start()
    manager.download(manager.plan(course))
    done = manager.wait_until_idle(60)
    seen = {"done": done, "zeroconf": "zeroconf" in sys.modules, "mdns": mdns_sockets()}
finally:
    study.close()
    account.close()
print(json.dumps(seen))
"""


def a_start(server: ReferenceServer, home: Path, policy: dict[str, object]) -> dict[str, object]:
    (home / "policy.json").write_text(json.dumps(policy))
    paths = [str(ROOT), str(ROOT / "tests" / "peers")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(paths),
        "ROUNDS_HOME": str(home / "rounds"),
        "ROUNDS_POLICY": str(home / "policy.json"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    done = subprocess.run(
        [sys.executable, "-c", A_START, server.url, DEMO_USER, DEMO_PASSWORD, COURSE],
        env=env,
        capture_output=True,
        text=True,
        timeout=START_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return seen


def test_without_fetching_from_peers_a_download_never_looks_for_them(
    reference_server: ReferenceServer, digests: list[str], tmp_path: Path
) -> None:
    seen = a_start(reference_server, tmp_path, {})
    assert seen == {"done": True, "zeroconf": False, "mdns": 0}


def test_a_policy_that_turns_fetching_on_has_the_first_download_look(
    reference_server: ReferenceServer, digests: list[str], tmp_path: Path
) -> None:
    seen = a_start(
        reference_server, tmp_path, {"fetch_from_peers": {"value": True, "locked": True}}
    )
    assert seen["done"] is True and seen["zeroconf"] is True
    assert isinstance(seen["mdns"], int) and seen["mdns"] > 0


@pytest.fixture
def sharing(tmp_path: Path) -> Iterator[Sharing]:
    made = Sharing(
        ContentStore(tmp_path / "content"),
        PeerList(fetching=False),
        "server-1",
        host="127.0.0.1",
        interfaces=["127.0.0.1"],
    )
    yield made
    made.close()


def test_fetching_follows_the_settings_and_off_closes_the_search(
    sharing: Sharing, runner: BackgroundRunner, qtbot: QtBot
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    settings_item = window.menuBar().addMenu("&File").addAction("S&ettings…")
    toggle = share_toggle_for(window, sharing, runner, settings_item)
    assert sharing.peers.usable() == [] and mdns_sockets() == 0

    on = Settings().with_changes(fetch_from_peers=True)
    save_settings(on)
    toggle.apply(on)
    qtbot.waitUntil(lambda: sharing.fetching, timeout=15_000)
    assert sharing.peers.usable() == []  # the first read begins the search
    assert mdns_sockets() > 0

    toggle.apply(Settings())
    qtbot.waitUntil(lambda: not sharing.fetching and mdns_sockets() == 0, timeout=15_000)
    assert sharing.peers.usable() == [] and mdns_sockets() == 0
    assert runner.wait_for_idle()
