"""Two learners on one network: the second downloads a course from the first, not the server.

One reference server, two account folders (cache and content store each). The first learner
downloads the course and shares it; the second asks that peer first. The server's own request
log shows which files it was asked for.
"""

from __future__ import annotations

import hashlib
import socket

import pytest
import requests
from downloads_samples import FAST_RETRY, WAIT, asset_requests
from peer_samples import COURSE, Learner, asked_of_server

from desktop_app.api.client import ApiClient
from desktop_app.config import Settings
from desktop_app.downloads import DownloadManager
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.server import ShareServer
from desktop_app.peers.source import PeerSource
from reference_server.server import ReferenceServer


def test_the_second_learner_downloads_from_the_first_and_not_the_server(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
) -> None:
    first, second = learners
    first.download(client)
    assert asked_of_server(reference_server, digests) == 2
    reference_server.clear_requests()

    with ShareServer(first.store, "127.0.0.1") as share:
        second.download(PeerSource(client, PeerList([share.url])))

    assert second.store.present(set(digests)) == set(digests)
    for digest in digests:
        assert (
            second.store.path_for(digest).read_bytes() == first.store.path_for(digest).read_bytes()
        )
    assert asked_of_server(reference_server, digests) == 0


@pytest.mark.expect_log("desktop_app.peers.source", "failed verification")
def test_a_tampered_file_from_a_peer_is_refused_and_comes_from_the_server(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
) -> None:
    first, second = learners
    first.download(client)
    genuine = first.store.path_for(digests[0]).read_bytes()
    tampered = bytearray(genuine)
    tampered[1000] ^= 0xFF
    first.store.path_for(digests[0]).write_bytes(bytes(tampered))
    reference_server.clear_requests()
    peers = PeerList()

    with ShareServer(first.store, "127.0.0.1") as share:
        peers.add(share.url)
        second.download(PeerSource(client, peers))
        assert peers.is_bad(share.url)

    assert second.store.path_for(digests[0]).read_bytes() == genuine
    assert len(asset_requests(reference_server, digests[0])) == 1


def test_a_peer_that_is_gone_leaves_the_files_to_the_server(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
) -> None:
    _, second = learners
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{probe.getsockname()[1]}"
    reference_server.clear_requests()

    second.download(PeerSource(client, PeerList([gone])))

    assert second.store.present(set(digests)) == set(digests)
    assert asked_of_server(reference_server, digests) == 2


def test_a_partial_file_is_continued_from_the_peer(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
) -> None:
    first, second = learners
    first.download(client)
    whole = first.store.path_for(digests[0]).read_bytes()
    second.store.partial_folder.mkdir(parents=True)
    second.store.partial_path(digests[0]).write_bytes(whole[:300_000])
    rest = first.store.path_for(digests[1]).stat().st_size
    reference_server.clear_requests()

    with ShareServer(first.store, "127.0.0.1") as share:
        second.download(PeerSource(client, PeerList([share.url])))

    assert second.store.path_for(digests[0]).read_bytes() == whole
    assert share.bytes_sent == len(whole) - 300_000 + rest
    assert asked_of_server(reference_server, digests) == 0


def test_a_silent_peer_leaves_the_files_to_the_server(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
) -> None:
    _, second = learners
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        reference_server.clear_requests()

        second.download(PeerSource(client, PeerList([url]), timeout=0.2))

    assert second.store.present(set(digests)) == set(digests)
    assert asked_of_server(reference_server, digests) == 2


def test_a_lesson_streamed_before_downloading_comes_from_the_server_not_a_peer(
    reference_server: ReferenceServer,
    client: ApiClient,
    digests: list[str],
    learners: tuple[Learner, Learner],
) -> None:
    first, second = learners
    first.download(client)
    settings = Settings().with_changes(disk_floor_mb=0)
    with ShareServer(first.store, "127.0.0.1") as share:
        manager = DownloadManager.for_settings(
            second.db, second.store, client, settings, PeerList([share.url]), retry=FAST_RETRY
        )
        try:
            content = manager.online.open(f"l-{COURSE}-0")
            assert content is not None and "media" in content.streams
            streamed = requests.get(content.streams["media"], timeout=WAIT)
            assert hashlib.sha256(streamed.content).hexdigest() == digests[0]
            assert share.bytes_sent == 0  # unverified bytes never come from a peer
            reference_server.clear_requests()

            manager.start()
            manager.download(manager.plan(COURSE))
            assert manager.wait_until_idle(WAIT)
        finally:
            manager.close()

    assert second.store.present(set(digests)) == set(digests)
    assert asked_of_server(reference_server, digests) == 0  # the download came from the peer
