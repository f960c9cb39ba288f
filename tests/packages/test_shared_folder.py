"""A shared read-only content folder is looked in before the server: its files are copied into
the store once their hash matches, and only a file missing or altered there is downloaded."""

from __future__ import annotations

from pathlib import Path

from packages_samples import COURSE, PLENTY, download, publish

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.downloads import plan_download
from reference_server.server import ReferenceServer


def _asset_gets(server: ReferenceServer, digest: str) -> int:
    path = f"/api/v1/assets/{digest}"
    return sum(1 for r in server.requests if r.method == "GET" and r.path == path)


def _share(folder: Path, files: dict[str, bytes]) -> ContentStore:
    shared = ContentStore(folder)
    for digest, raw in files.items():
        shared.path_for(digest).parent.mkdir(parents=True, exist_ok=True)
        shared.path_for(digest).write_bytes(raw)
        shared.path_for(digest).chmod(0o444)
    return shared


def test_a_course_in_the_shared_folder_downloads_with_no_request_for_its_files(
    reference_server: ReferenceServer, account: Account, store: ContentStore, tmp_path: Path
) -> None:
    published = publish(reference_server)
    _share(tmp_path / "share", published.data)
    account.sync()
    settings = PLENTY.with_changes(shared_content_dir=str(tmp_path / "share"))

    assert download(account, store, settings=settings) == 0

    assert plan_download(account.db, store, COURSE).complete
    assert [_asset_gets(reference_server, d) for d in published.digests] == [0, 0, 0]


def test_a_file_altered_in_the_shared_folder_is_downloaded_from_the_server_instead(
    reference_server: ReferenceServer, account: Account, store: ContentStore, tmp_path: Path
) -> None:
    published = publish(reference_server)
    altered = published.digests[0]
    raw = published.data[altered]
    _share(tmp_path / "share", {**published.data, altered: raw[:-1] + bytes([raw[-1] ^ 1])})
    account.sync()
    settings = PLENTY.with_changes(shared_content_dir=str(tmp_path / "share"))

    assert download(account, store, settings=settings) == 0

    assert store.path_for(altered).read_bytes() == raw
    assert [_asset_gets(reference_server, d) for d in published.digests] == [1, 0, 0]
