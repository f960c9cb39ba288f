"""Hospital proxies: a proxy auto-config (PAC) file served over loopback chooses a proxy or a
direct connection per host and names the next proxy to try, and a proxy that demands a sign-in
(407) is named in one sentence.

The server is given a name that is not loopback's, `learning.hospital.test`: a request for it
must go through a proxy (loopback never does, by design), and only the test proxy knows that
the name leads to a TLS front of the reference server. Nothing here reaches the network: a
connection anywhere but loopback fails the test.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from connect_proxy import ConnectProxy, TlsFront, serving
from local_servers import hospital_ca
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.api.addresses import is_loopback
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import OfflineError
from desktop_app.api.failures import error_for_status
from desktop_app.api.proxies import (
    DIRECT,
    ProxyRouter,
    ProxySettings,
    pac_file,
    system_pac_url,
)
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.transport import DirectLoopbackSession
from desktop_app.logging_setup import scrub
from reference_server import ReferenceServer

SERVER_NAME = "learning.hospital.test"
SERVER_URL = f"https://{SERVER_NAME}"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
PAC = """
function FindProxyForURL(url, host) {
    if (dnsDomainIs(host, ".intranet.test")) return "DIRECT";
    if (host == "%(name)s") return "PROXY %(down)s; PROXY %(up)s; DIRECT";
    return "PROXY %(up)s";
}
"""


class PacServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: str) -> None:
        super().__init__(("127.0.0.1", 0), PacPage)
        self.script = script.encode()
        self.fetches = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/proxy.pac"


class PacPage(BaseHTTPRequestHandler):
    server: PacServer

    def do_GET(self) -> None:
        self.server.fetches += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ns-proxy-autoconfig")
        self.send_header("Content-Length", str(len(self.server.script)))
        self.end_headers()
        self.wfile.write(self.server.script)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the environment, and any connection or name lookup that would leave this
    computer (the public suffix list, say) fails the test."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    connect, lookup = socket.socket.connect, socket.getaddrinfo

    def local_connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            assert is_loopback(str(address[0])), f"a connection to {address} left loopback"
        connect(self, address)

    def local_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        assert host is None or is_loopback(str(host)), f"{host} was looked up"
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", local_connect)
    monkeypatch.setattr(socket, "getaddrinfo", local_lookup)


def free_port() -> int:
    """A loopback port nothing listens on: a proxy that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def hospital(reference_server: ReferenceServer, tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    """(the CA file to trust, a factory of proxies that lead SERVER_NAME to the server)."""
    ca_file, context = hospital_ca(tmp_path, names=(SERVER_NAME,))
    port = int(reference_server.url.rsplit(":", 1)[1])
    front = TlsFront(context, ("127.0.0.1", port))
    proxies: list[ConnectProxy] = []

    def proxy(sign_in: str = "") -> ConnectProxy:
        routes = {
            f"{SERVER_NAME}:443": ("127.0.0.1", int(front.server_address[1])),
            f"{SERVER_NAME}:80": ("127.0.0.1", port),
        }
        made = ConnectProxy(routes, sign_in)
        threading.Thread(target=made.serve_forever, daemon=True).start()
        proxies.append(made)
        return made

    with serving(front):
        yield ca_file, proxy
    for made in proxies:
        made.shutdown()
        made.server_close()


@pytest.fixture
def pac_server(request: pytest.FixtureRequest) -> Iterator[PacServer]:
    server = PacServer(request.param)
    with serving(server):
        yield server


def signed_in_name(config: Any) -> str:
    api = ApiClient(SERVER_URL, tokens=MemoryTokenStore(), config=config)
    try:
        return api.sign_in(DEMO_USER, DEMO_PASSWORD).user.username
    finally:
        api.close()


@pytest.mark.expect_log("desktop_app.api.proxies", "could not be reached")
def test_through_a_pac_file_the_client_passes_over_a_proxy_that_is_down(
    hospital: tuple[Path, Any], reference_server: ReferenceServer, caplog: pytest.LogCaptureFixture
) -> None:
    ca_file, make_proxy = hospital
    proxy, down = make_proxy(), f"127.0.0.1:{free_port()}"
    script = PAC % {"name": SERVER_NAME, "down": down, "up": proxy.address}
    pac = PacServer(script)
    config = replace(FAST_NETWORK, ca_bundle=str(ca_file), proxy_pac_url=pac.url)
    with serving(pac), caplog.at_level(logging.WARNING, "desktop_app.api.proxies"):
        assert signed_in_name(config) == DEMO_USER
        assert signed_in_name(config) == DEMO_USER  # the file is fetched once for the run
    assert pac.fetches == 1
    assert proxy.seen and set(proxy.seen) == {f"CONNECT {SERVER_NAME}:443 HTTP/1.1"}
    assert ("POST", "/api/v1/auth/token") in [(r.method, r.path) for r in reference_server.requests]
    assert f"The proxy {down} could not be reached" in caplog.text


def test_a_pac_file_chooses_a_proxy_or_a_direct_connection_per_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = PAC % {"name": SERVER_NAME, "down": "10.9.9.9:3128", "up": "10.1.1.1:8080"}
    pac = PacServer(script)
    monkeypatch.setenv("HTTPS_PROXY", "http://from-the-environment.test:1")
    with serving(pac), DirectLoopbackSession(pac_url=pac.url) as session:
        chosen = {
            url: session.router.proxies_for(url)
            for url in (
                "https://wiki.intranet.test/a",
                f"{SERVER_URL}/api/v1",
                "https://lrs.example.org/xapi",
            )
        }
        loopback = session.merge_environment_settings("http://127.0.0.1:8/a", {}, None, None, None)
    assert chosen == {
        "https://wiki.intranet.test/a": {},
        f"{SERVER_URL}/api/v1": {"http": "http://10.9.9.9:3128", "https": "http://10.9.9.9:3128"},
        "https://lrs.example.org/xapi": {
            "http": "http://10.1.1.1:8080",
            "https": "http://10.1.1.1:8080",
        },
    }
    assert loopback["proxies"] == {}  # never evaluated for this computer


@pytest.mark.expect_log("desktop_app.api.proxies", "could not be used")
def test_a_pac_file_that_cannot_be_fetched_means_direct_and_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"http://127.0.0.1:{free_port()}/down.pac"
    router = ProxyRouter(ProxySettings(pac_url=url))
    with caplog.at_level(logging.WARNING, "desktop_app.api.proxies"):
        assert router.proxies_for(f"{SERVER_URL}/a") == {}
        assert router.proxy_for("https://other.test/b") == DIRECT
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert lines[0].startswith(f"The proxy auto-config file {url} could not be used")
    assert "connects directly, as browsers do" in lines[0]


@pytest.mark.expect_log("desktop_app.api.proxies", "could not be used")
def test_a_broken_pac_script_means_direct(caplog: pytest.LogCaptureFixture) -> None:
    pac = PacServer("<html><body>Sign in to the guest network</body></html>")
    with serving(pac), caplog.at_level(logging.WARNING, "desktop_app.api.proxies"):
        assert pac_file(pac.url).choices(f"{SERVER_URL}/a") == (DIRECT,)
    assert "could not be used" in caplog.text


def test_the_proxy_setting_wins_over_the_pac_file() -> None:
    router = ProxyRouter(ProxySettings("http://proxy.hospital.test:3128", "http://127.0.0.1:9/x"))
    assert router.proxy_for(f"{SERVER_URL}/a") == "http://proxy.hospital.test:3128"
    assert not router.fail_over(f"{SERVER_URL}/a")


def test_a_proxy_that_asks_for_a_sign_in_is_named(hospital: tuple[Path, Any]) -> None:
    ca_file, make_proxy = hospital
    proxy = make_proxy(sign_in="nurse:s3cret")
    config = replace(FAST_NETWORK, ca_bundle=str(ca_file), proxy_url=proxy.url)
    with pytest.raises(OfflineError) as asked:
        signed_in_name(config)
    assert asked.value.message.startswith(
        f"The proxy {proxy.address} asks for a user name and password before it lets Rounds"
    )
    wrong = replace(config, proxy_url=f"http://nurse:wrong@{proxy.address}")
    with pytest.raises(OfflineError) as refused:
        signed_in_name(wrong)
    assert refused.value.message.startswith(
        f"The proxy {proxy.address} did not accept the user name and password"
    )
    assert "wrong" not in refused.value.message
    right = replace(config, proxy_url=f"http://nurse:s3cret@{proxy.address}")
    assert signed_in_name(right) == DEMO_USER
    assert proxy.seen.count(f"CONNECT {SERVER_NAME}:443 HTTP/1.1") == 3


def test_a_407_reply_to_plain_http_is_told_as_a_proxy_sign_in(hospital: tuple[Path, Any]) -> None:
    """Rounds sends plain http only to this computer, never through a proxy; were a proxy to
    answer 407 anyway, the reply is told as the proxy's."""
    _ca_file, make_proxy = hospital
    proxy = make_proxy(sign_in="nurse:s3cret")
    with DirectLoopbackSession(proxy.url) as session:
        reply = session.get(f"http://{SERVER_NAME}/api/v1/health", timeout=5)
    assert reply.status_code == 407
    assert error_for_status(reply).message.startswith("The proxy of this network asks for a user")
    assert proxy.seen == [f"GET http://{SERVER_NAME}/api/v1/health HTTP/1.1"]


def test_a_password_in_a_proxy_address_is_scrubbed_from_logs() -> None:
    line = scrub("proxy http://nurse:s3cret@proxy.hospital.test:3128 refused")
    assert "s3cret" not in line and "proxy.hospital.test:3128" in line


def test_the_system_pac_file_is_looked_for_only_without_proxy_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Linux has no system PAC setting; Windows' and macOS's are read by pypac (not here)."""
    looked: list[str] = []

    def system_pac_url() -> str:
        looked.append("os")
        return ""

    monkeypatch.setattr("desktop_app.api.proxies.system_pac_url", system_pac_url)
    assert ProxyRouter(ProxySettings()).proxy_for(f"{SERVER_URL}/a") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://10.1.1.1:8080")
    assert ProxyRouter(ProxySettings()).proxy_for(f"{SERVER_URL}/a") is None
    assert looked == ["os"]
    with requests.Session() as plain:
        assert (
            plain.merge_environment_settings(f"{SERVER_URL}/a", {}, None, None, None)["proxies"][
                "https"
            ]
            == "http://10.1.1.1:8080"
        )


@pytest.mark.skipif(sys.platform != "linux", reason="Linux has no system PAC setting")
def test_linux_has_no_system_pac_file() -> None:
    assert system_pac_url() == ""
