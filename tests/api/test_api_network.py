"""Hospital networks: a private CA in front of the server (proxies: test_api_proxy.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_servers import canned_server, hospital_ca
from server_fixture import FAST_NETWORK

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import CertificateError
from desktop_app.api.transport import TransportConfig


def test_a_server_certified_by_an_unknown_ca_is_refused(tmp_path: Path) -> None:
    _, context = hospital_ca(tmp_path)
    with canned_server(context) as server:
        api = ApiClient(f"https://127.0.0.1:{server.server_port}", config=FAST_NETWORK)
        with pytest.raises(CertificateError, match=r"not trusted.*CA certificate"):
            api.sign_in("ana", "pw")
        assert server.seen == []
        api.close()


def test_the_extra_ca_bundle_setting_makes_that_server_trusted(tmp_path: Path) -> None:
    ca_file, context = hospital_ca(tmp_path)
    config = TransportConfig(ca_bundle=str(ca_file), retries=0)
    with canned_server(context) as server:
        api = ApiClient(f"https://127.0.0.1:{server.server_port}", config=config)
        assert api.sign_in("ana", "pw").user.username == "ana"
        api.close()
