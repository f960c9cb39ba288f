"""A package of a course the learner's catalog does not list yet keeps its files in the store;
the day the catalog lists the course, it is downloaded already."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from packages_samples import COURSE, Exported, course_ids
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.downloads import plan_download
from desktop_app.packages import CoursePackages
from reference_server.server import ReferenceServer


@pytest.fixture
def ward_computer(
    reference_server: ReferenceServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Account]:
    """The learner on another computer (its own data folder), signed in."""
    monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "ward"))
    other = Account.sign_in(reference_server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    yield other
    other.close()


def test_the_files_wait_in_the_store_until_the_catalog_lists_the_course(
    exported: Exported,
    reference_server: ReferenceServer,
    ward_computer: Account,
    tmp_path: Path,
) -> None:
    reference_server.admin.unpublish_course(COURSE)
    ward_computer.sync()
    store = ContentStore(tmp_path / "ward" / "content")
    packages = CoursePackages.of(ward_computer, store)

    result = packages.import_file(exported.package)

    assert (result.files_added, result.listed) == (3, False)
    assert COURSE not in course_ids(ward_computer.db)
    before = len(reference_server.requests)
    reference_server.admin.publish_course(COURSE)
    ward_computer.sync()
    assert plan_download(ward_computer.db, store, COURSE).complete
    assets = [r for r in reference_server.requests[before:] if "/assets/" in r.path]
    assert assets == []
