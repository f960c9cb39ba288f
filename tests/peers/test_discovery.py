"""Discovery over real mDNS on loopback: a sharer is found by the peers of its server only.

Multicast on loopback works on this project's Linux test machines; each wait has a deadline.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from downloads_samples import wait_for

from desktop_app.content_store import ContentStore
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.sharing import Sharing

LOOPBACK = ["127.0.0.1"]

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="mDNS on loopback: Linux")


@pytest.fixture
def sharings(tmp_path: Path) -> Iterator[list[Sharing]]:
    made: list[Sharing] = []
    yield made
    for sharing in made:
        sharing.close()


def make(sharings: list[Sharing], folder: Path, server_id: str) -> Sharing:
    sharing = Sharing(
        ContentStore(folder), PeerList(), server_id, host="127.0.0.1", interfaces=LOOPBACK
    )
    sharings.append(sharing)
    return sharing


def test_a_sharer_is_found_by_peers_of_its_server_and_lost_when_it_stops(
    tmp_path: Path, sharings: list[Sharing]
) -> None:
    sharer = make(sharings, tmp_path / "a", "server-1")
    same = make(sharings, tmp_path / "b", "server-1")
    other = make(sharings, tmp_path / "c", "server-2")
    assert same.peers.usable() == []  # the first read begins the search
    other.peers.usable()

    sharer.start()
    wait_for(lambda: len(same.peers.usable()) == 1, timeout=15)

    port = same.peers.usable()[0].rsplit(":", 1)[1]
    assert sharer.sharing and port.isdigit()
    assert other.peers.usable() == [] and sharer.peers.usable() == []
    sharer.stop()
    wait_for(lambda: same.peers.usable() == [], timeout=15)
