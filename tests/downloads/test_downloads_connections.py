"""Downloads reuse the client's kept-alive connections, as any other request does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from downloads_samples import WAIT, MakeManager, mirror_catalog, publish_course, random_file
from fault_proxy import FaultProxy
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadState
from reference_server.server import ReferenceServer

FILES = 12


@pytest.fixture
def proxy(reference_server: ReferenceServer) -> Iterator[FaultProxy]:
    """A proxy in front of the server that counts the client's TCP connections."""
    middlebox = FaultProxy(reference_server.url).start()
    yield middlebox
    middlebox.stop()


@pytest.fixture
def through_proxy(proxy: FaultProxy) -> Iterator[ApiClient]:
    api = ApiClient(proxy.url, tokens=MemoryTokenStore(), config=FAST_NETWORK)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    yield api
    api.close()


def test_many_small_files_come_over_one_kept_alive_connection(
    reference_server: ReferenceServer,
    proxy: FaultProxy,
    through_proxy: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    files = [random_file(f"page-{n}.html", 2048 + n, role="body") for n in range(FILES)]
    digests = publish_course(reference_server, "c-many", files)
    mirror_catalog(through_proxy, db)
    before = proxy.connections
    manager = make_manager(source=through_proxy, parallelism=1)

    manager.download(manager.plan("c-many"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    assert manager.snapshot().course("c-many").state == DownloadState.DONE
    assert [store.path_for(d).read_bytes() for d in digests] == [f.data for f in files]
    assert proxy.connections - before <= 1
