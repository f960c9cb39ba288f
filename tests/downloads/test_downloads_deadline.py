"""A download that drips in stops at the deadline, keeps what came, and resumes from it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from downloads_samples import MiB, publish_course, random_file
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import DeadlineError
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.content_store import ContentStore
from desktop_app.downloads.fetch import fetch_asset
from reference_server.server import ReferenceServer


@pytest.fixture
def slow_client(reference_server: ReferenceServer) -> Iterator[ApiClient]:
    config = replace(FAST_NETWORK, deadline=2.0)
    api = ApiClient(reference_server.url, tokens=MemoryTokenStore(), config=config)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    yield api
    api.close()


def test_a_dripping_download_stops_at_the_deadline_and_resumes_from_its_partial_file(
    reference_server: ReferenceServer, slow_client: ApiClient, store: ContentStore
) -> None:
    sample = random_file("lecture.mp4", MiB)
    (digest,) = publish_course(reference_server, "c-drip", [sample])
    reference_server.faults.add("/api/v1/assets/", drip=0.05)
    started = time.monotonic()

    with pytest.raises(DeadlineError, match="answered too slowly"):
        fetch_asset(
            slow_client, store, digest, MiB, should_stop=lambda: False, on_bytes=lambda _: None
        )

    assert time.monotonic() - started < 20.0
    kept = store.partial_size(digest)
    assert 0 < kept < MiB
    result = fetch_asset(
        slow_client, store, digest, MiB, should_stop=lambda: False, on_bytes=lambda _: None
    )
    assert result.resumed_from == kept
    assert store.path_for(digest).read_bytes() == sample.data
