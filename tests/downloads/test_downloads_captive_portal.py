"""A captive portal answering a download with its sign-in page: the learner is told to sign in
to the network, not a byte of the page reaches the partial file, and the download goes on
once the portal lets the requests through."""

from __future__ import annotations

import pytest
from downloads_samples import MiB, publish_course, random_file

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import CaptivePortalError
from desktop_app.content_store import ContentStore
from desktop_app.downloads.fetch import FetchResult, TransferError, fetch_asset
from reference_server.server import ReferenceServer

ASSETS = "/api/v1/assets/"
PORTAL_PAGE = "<html><body><form>Guest Wi-Fi: accept the terms to go on</form></body></html>"
PORTAL = {"body": PORTAL_PAGE, "content_type": "text/html"}


def fetch(client: ApiClient, store: ContentStore, digest: str, size: int) -> FetchResult:
    return fetch_asset(
        client, store, digest, size, should_stop=lambda: False, on_bytes=lambda _: None
    )


def test_a_portal_page_for_a_new_download_writes_nothing(
    reference_server: ReferenceServer, client: ApiClient, store: ContentStore
) -> None:
    sample = random_file("lecture.mp4", MiB)
    (digest,) = publish_course(reference_server, "c-portal", [sample])
    reference_server.faults.add(ASSETS, **PORTAL)

    with pytest.raises(CaptivePortalError, match="sign in to the network"):
        fetch(client, store, digest, MiB)

    assert store.partial_size(digest) == 0
    fetch(client, store, digest, MiB)
    assert store.path_for(digest).read_bytes() == sample.data


def test_a_portal_page_for_a_resumed_download_leaves_the_partial_file_as_it_was(
    reference_server: ReferenceServer, client: ApiClient, store: ContentStore
) -> None:
    sample = random_file("lecture.mp4", 3 * MiB)
    (digest,) = publish_course(reference_server, "c-portal", [sample])
    reference_server.faults.add(ASSETS, drop_after_bytes=MiB)
    with pytest.raises(TransferError):
        fetch(client, store, digest, 3 * MiB)
    kept = store.partial_path(digest).read_bytes()
    reference_server.faults.add(ASSETS, **PORTAL)

    with pytest.raises(CaptivePortalError):
        fetch(client, store, digest, 3 * MiB)

    assert store.partial_path(digest).read_bytes() == kept
    result = fetch(client, store, digest, 3 * MiB)
    assert result.resumed_from == len(kept) > 0
    assert store.path_for(digest).read_bytes() == sample.data


def test_a_reading_lesson_in_html_from_the_server_itself_is_downloaded(
    reference_server: ReferenceServer, client: ApiClient, store: ContentStore
) -> None:
    page = b"<html><body><h1>Hand hygiene</h1><p>Five moments.</p></body></html>"
    digest = reference_server.admin.add_asset_bytes(page, "text/html")

    fetch(client, store, digest, len(page))

    assert store.path_for(digest).read_bytes() == page
