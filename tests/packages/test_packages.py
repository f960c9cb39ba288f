"""Export a downloaded course to a signed package; import it offline on another computer."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from packages_samples import COURSE, Elsewhere, Exported, files_in

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.downloads import plan_download
from desktop_app.packages import CoursePackages, PackageError
from desktop_app.packages.manifest import MANIFEST_NAME
from reference_server.server import ReferenceServer


def test_the_package_lists_every_file_with_its_hash_and_size_and_the_server(
    exported: Exported, reference_server: ReferenceServer
) -> None:
    with zipfile.ZipFile(exported.package) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
        names = set(archive.namelist())
    data = exported.published.data
    assert manifest["server_id"] == reference_server.backend.server_id
    assert {(f["sha256"], f["size"]) for f in manifest["files"]} == {
        (digest, len(raw)) for digest, raw in data.items()
    }
    assert names == {"manifest.json", "signature.json", *(f"files/{d}" for d in data)}
    assert manifest["catalog"]["title"] == "Packaged course"


def test_an_imported_package_makes_the_course_downloaded_without_the_network(
    exported: Exported, elsewhere: Elsewhere
) -> None:
    result = elsewhere.packages.import_file(exported.package)

    assert (result.course_id, result.files_added, result.listed) == (COURSE, 3, True)
    plan = plan_download(elsewhere.db, elsewhere.store, COURSE)
    assert plan.complete and plan.course_title == "Packaged course"
    for digest, raw in exported.published.data.items():
        assert elsewhere.store.path_for(digest).read_bytes() == raw
    again = elsewhere.packages.import_file(exported.package)
    assert again.files_added == 0


def test_a_course_not_downloaded_is_not_exported(
    reference_server: ReferenceServer, account: Account, store: ContentStore, tmp_path: Path
) -> None:
    from packages_samples import publish

    publish(reference_server)
    account.sync()
    target = tmp_path / "c.zip"
    with pytest.raises(PackageError) as refused:
        CoursePackages.of(account, store).export(COURSE, target)
    assert "is not downloaded on this computer yet" in refused.value.message
    assert not target.exists()


def test_without_the_servers_key_kept_an_offline_import_says_to_sign_in_once(
    exported: Exported, elsewhere: Elsewhere, tmp_path: Path
) -> None:
    (exported.account.paths.root / "server-key.json").unlink()
    before = files_in(elsewhere.store.root)
    with pytest.raises(PackageError) as refused:
        elsewhere.packages.import_file(exported.package)
    assert "sign in once while online" in refused.value.message
    assert files_in(elsewhere.store.root) == before
