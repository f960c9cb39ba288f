"""A proxy named in the environment: used for servers on the network, never for this computer.

Plain http is allowed only to a server on this computer; sent through a proxy, that traffic,
password included, would cross the network in clear to the proxy.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.api.addresses import is_loopback
from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.transport import DirectLoopbackSession
from desktop_app.api.xapi import lrs_endpoint, rounds_server_endpoint
from reference_server import ReferenceServer

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
HOP_HEADERS = frozenset({"connection", "proxy-connection", "keep-alive", "transfer-encoding"})


class RecordingProxy(ThreadingHTTPServer):
    """A forward proxy on loopback: records every request line, relays only to loopback."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Relay)
        self.seen: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class Relay(BaseHTTPRequestHandler):
    """Forwards a proxied request to its (loopback) target and hands back the reply."""

    server: RecordingProxy

    def do_GET(self) -> None:
        self.server.seen.append(self.requestline)
        target = urlsplit(self.path)
        if not is_loopback(target.hostname or ""):  # a test must never reach the network
            self.send_error(502)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        connection = http.client.HTTPConnection(target.hostname or "", target.port, timeout=5)
        path = target.path + (f"?{target.query}" if target.query else "")
        connection.request(self.command, path, body, self._forwarded(self.headers.items()))
        self._answer(connection.getresponse())
        connection.close()

    do_POST = do_PUT = do_DELETE = do_CONNECT = do_GET

    def _answer(self, reply: http.client.HTTPResponse) -> None:
        data = reply.read()
        self.send_response(reply.status)
        for name, value in self._forwarded(reply.getheaders()).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    @staticmethod
    def _forwarded(headers: list[tuple[str, str]]) -> dict[str, str]:
        return {name: value for name, value in headers if name.lower() not in HOP_HEADERS}

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    """A recording proxy named in HTTP_PROXY and HTTPS_PROXY, with no NO_PROXY exceptions."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    server = RecordingProxy()
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.setenv("HTTPS_PROXY", server.url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def statements() -> bytes:
    actor = {
        "objectType": "Agent",
        "account": {"homePage": "https://rounds.example", "name": "u-ana"},
    }
    statement = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"objectType": "Activity", "id": "https://rounds.example/lessons/l-1"},
        "timestamp": "2026-11-20T10:00:00.000Z",
    }
    return json.dumps([statement]).encode()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_server_on_this_computer_is_reached_without_the_proxy(
    proxy: RecordingProxy, reference_server: ReferenceServer, host: str
) -> None:
    server_url = reference_server.url.replace("127.0.0.1", host)
    api = ApiClient(server_url, tokens=MemoryTokenStore(), config=FAST_NETWORK)
    rounds_xapi = lrs = None
    try:
        assert api.sign_in(DEMO_USER, DEMO_PASSWORD).user.username == DEMO_USER
        rounds_xapi = rounds_server_endpoint(api)
        assert rounds_xapi.post(statements()).stored
        lrs = lrs_endpoint(server_url + "/xapi", DEMO_USER, DEMO_PASSWORD, FAST_NETWORK)
        assert lrs.post(statements()).stored
    finally:
        for client in (api, rounds_xapi, lrs):
            if client is not None:
                client.close()
    assert proxy.seen == []
    arrived = [(r.method, r.path) for r in reference_server.requests]
    assert arrived == [("POST", "/api/v1/auth/token")] + [("POST", "/xapi/statements")] * 2


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/a",
        "http://127.3.4.5/a",
        "http://[::1]:80/a",
        "http://localhost:8765/a",
        "https://LOCALHOST/a",
    ],
)
def test_no_loopback_address_is_given_a_proxy(proxy: RecordingProxy, url: str) -> None:
    assert proxies_for(url) == {}


def test_servers_on_the_network_still_go_through_the_proxy_unless_no_proxy_names_them(
    proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "intranet.example")
    assert proxies_for("https://lrs.example.org/xapi")["https"] == proxy.url
    assert proxies_for("https://10.0.0.8/api/v1")["https"] == proxy.url
    assert "https" not in proxies_for("https://learning.intranet.example/api/v1")


def proxies_for(url: str) -> dict[str, str]:
    """The proxies a request to `url` would use; computed only, nothing is sent."""
    with DirectLoopbackSession() as session:
        return dict(session.merge_environment_settings(url, {}, None, None, None)["proxies"])


def test_the_proxy_setting_wins_over_the_system_proxy_but_never_for_this_computer(
    proxy: RecordingProxy,
) -> None:
    chosen = "http://proxy.hospital.example:3128"
    with DirectLoopbackSession(chosen) as session:
        network = session.merge_environment_settings(
            "https://lrs.example.org/x", {}, None, None, None
        )
        here = session.merge_environment_settings("http://127.0.0.1:8765/a", {}, None, None, None)
    assert network["proxies"]["https"] == chosen
    assert here["proxies"] == {}
