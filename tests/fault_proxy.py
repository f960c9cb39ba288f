"""A middlebox on loopback for the tests: forwards every request to the reference server and,
for the requests a test picks, answers in its stead as a hospital proxy or firewall would.

The client is pointed at the proxy's URL, as at the server's own (loopback never goes through
`HTTP_PROXY`, so the proxy stands in front of the server, not beside the client). A rule sees
the method, the path and the request body and may return a `Page` to send instead of the
server's reply; the request then never reaches the server.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

NOT_RELAYED = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "date", "server"}
)  # hop by hop, or written by the proxy itself


@dataclass(frozen=True)
class Page:
    """What the middlebox answers: a status and an HTML page."""

    status: int
    html: str


Rule = Callable[[str, str, bytes], Page | None]

FIREWALL_400 = Page(
    400,
    "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
    "Please consult with your administrator.<br><br>Your support ID is: 14729603815551"
    "</body></html>",
)
NGINX_413 = Page(
    413, "<html><body><h1>413 Request Entity Too Large</h1><hr>nginx/1.24.0</body></html>"
)


class FaultProxy:
    """The proxy's life: `start`, then `url`; `rule` may be swapped at any time; `stop`."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.rule: Rule = lambda method, path, body: None
        self.answered: list[tuple[str, str, int]] = []  # (method, path, status) it sent itself
        self.connections = 0  # the client's TCP connections it accepted
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def accepted(self) -> None:
        with self._lock:
            self.connections += 1

    def judge(self, method: str, path: str, body: bytes) -> Page | None:
        page = self.rule(method, path, body)
        if page is not None:
            with self._lock:
                self.answered.append((method, path, page.status))
        return page


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(_ProxyHandler):
        owner = proxy

    return Handler


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: FaultProxy

    def setup(self) -> None:
        super().setup()
        self.owner.accepted()

    def do_GET(self) -> None:
        self._relay()

    def do_POST(self) -> None:
        self._relay()

    def do_PUT(self) -> None:
        self._relay()

    def do_DELETE(self) -> None:
        self._relay()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read `answered` and the server's own request log."""

    def _relay(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        page = self.owner.judge(self.command, urlsplit(self.path).path, body)
        if page is not None:
            self._send(page.status, [("Content-Type", "text/html")], page.html.encode())
        else:
            self._send(*self._forward(body))

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*self.owner.upstream, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in NOT_RELAYED}
            connection.request(self.command, self.path, body=body or None, headers=headers)
            reply = connection.getresponse()
            kept = [(k, v) for k, v in reply.getheaders() if k.lower() not in NOT_RELAYED]
            return reply.status, kept, reply.read()
        finally:
            connection.close()

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
