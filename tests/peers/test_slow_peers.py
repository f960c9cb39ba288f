"""A peer that sends too slowly is cut off and the file comes from elsewhere.

A trickling peer on loopback keeps each read well inside the 5 s read timeout, so only the rate
floor (`RateFloor`, a window of 1 s here rather than 10 s) can end it; the bytes it sent stay
and the real reference server (or a real share server) sends the rest, and the whole file is
verified before it is kept. The deadlines are the downloads' generous ones; nothing is timed.
"""

from __future__ import annotations

import pytest
from downloads_samples import asset_requests, range_start
from peer_samples import Learner, TricklingPeer, asked_of_server

from desktop_app.api.client import ApiClient
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.server import ShareServer
from desktop_app.peers.source import PeerSource, RateFloor
from reference_server.server import ReferenceServer

FLOOR = RateFloor(window_s=1.0)  # 256 KB/s; the trickler sends 20 KB/s after its head
HEAD = 100_000


def genuine(learner: Learner, digests: list[str]) -> dict[str, bytes]:
    return {digest: learner.store.path_for(digest).read_bytes() for digest in digests}


@pytest.fixture
def files(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
) -> dict[str, bytes]:
    """The course's files as the server has them (the first learner downloaded them)."""
    learners[0].download(client)
    reference_server.clear_requests()
    return genuine(learners[0], digests)


def test_a_trickling_peer_is_cut_off_and_the_server_sends_the_rest(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
    files: dict[str, bytes],
) -> None:
    second = learners[1]
    big = digests[0]
    peers = PeerList()
    with TricklingPeer(files, head=HEAD) as trickler:
        peers.add(trickler.url)
        second.download(PeerSource(client, peers, floor=FLOOR))

    assert genuine(second, digests) == files
    assert peers.is_bad(trickler.url)
    asked = asset_requests(reference_server, big)
    assert len(asked) == 1  # the rest, once: the peer's bytes were kept
    assert HEAD <= (range_start(asked[0]) or 0) < len(files[big])


def test_the_rest_comes_from_the_next_peer_when_there_is_one(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
    files: dict[str, bytes],
) -> None:
    first, second = learners
    with (
        TricklingPeer(files, head=HEAD) as trickler,
        ShareServer(first.store, "127.0.0.1") as share,
    ):
        peers = PeerList([trickler.url, share.url])
        second.download(PeerSource(client, peers, floor=FLOOR))
        assert peers.usable() == [share.url]
        assert 0 < share.bytes_sent < len(files[digests[0]]) + len(files[digests[1]])

    assert genuine(second, digests) == files
    assert asked_of_server(reference_server, digests) == 0


@pytest.mark.expect_log("desktop_app.peers.source", "failed verification")
def test_wrong_bytes_from_a_trickling_peer_are_not_kept(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
    files: dict[str, bytes],
) -> None:
    second = learners[1]
    big = digests[0]
    tampered = bytearray(files[big])
    tampered[1000] ^= 0xFF
    peers = PeerList()
    with TricklingPeer({**files, big: bytes(tampered)}, head=HEAD) as trickler:
        peers.add(trickler.url)
        second.download(PeerSource(client, peers, floor=FLOOR))

    assert genuine(second, digests) == files
    assert not second.store.partial_path(big).exists()
    starts = [range_start(headers) for headers in asset_requests(reference_server, big)]
    assert len(starts) == 2 and (starts[0] or 0) >= HEAD and starts[1] is None


def test_a_peer_trickling_its_headers_is_cut_off(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
    files: dict[str, bytes],
) -> None:
    second = learners[1]
    peers = PeerList()
    with TricklingPeer(files, piece=1, slow_headers=True) as trickler:
        peers.add(trickler.url)
        second.download(PeerSource(client, peers, floor=FLOOR))

    assert genuine(second, digests) == files
    assert peers.is_bad(trickler.url)
    for digest in digests:
        assert [range_start(h) for h in asset_requests(reference_server, digest)] == [None]
