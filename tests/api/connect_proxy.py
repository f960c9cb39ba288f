"""A hospital's forward proxy on loopback for the tests: opens CONNECT tunnels and relays plain
http requests, may demand a sign-in (407), and records every request line it was sent.

Names it is asked for are looked up in its `routes` ("host:port" → a loopback address), never
in DNS, so a test can give the server a name that is not loopback's: the client must send
such a request through a proxy, and only this proxy knows where the name leads. `TlsFront`
stands for that server's TLS end (certificate for the name, from a test CA) in front of the
reference server's plain http.
"""

from __future__ import annotations

import base64
import http.client
import select
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_HEADERS = frozenset(
    {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "proxy-authorization"}
)
SPLICE_IDLE_SECONDS = 10.0


class ConnectProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, tuple[str, int]], sign_in: str = "") -> None:
        """`sign_in`: "user:password" the proxy demands (Basic), or "" for none."""
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.routes = routes
        self.sign_in = sign_in
        self.seen: list[str] = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


class ProxyHandler(BaseHTTPRequestHandler):
    server: ConnectProxy
    protocol_version = "HTTP/1.1"

    def do_CONNECT(self) -> None:
        self.server.seen.append(self.requestline)
        route = self.server.routes.get(self.path)
        if not self._signed_in() or route is None:
            self._refuse(route)
            return
        upstream = socket.create_connection(route, timeout=5)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        splice(self.connection, upstream)
        self.close_connection = True

    def do_GET(self) -> None:
        self.server.seen.append(self.requestline)
        target = urlsplit(self.path)
        route = self.server.routes.get(f"{target.hostname}:{target.port or 80}")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self._signed_in() or route is None:
            self._refuse(route)
            return
        connection = http.client.HTTPConnection(*route, timeout=5)
        path = target.path + (f"?{target.query}" if target.query else "")
        connection.request(self.command, path, body, self._forwarded(self.headers.items()))
        reply = connection.getresponse()
        data = reply.read()
        self.send_response(reply.status)
        for name, value in self._forwarded(reply.getheaders()).items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        connection.close()

    do_POST = do_PUT = do_DELETE = do_GET

    def _signed_in(self) -> bool:
        if not self.server.sign_in:
            return True
        expected = "Basic " + base64.b64encode(self.server.sign_in.encode()).decode()
        return self.headers.get("Proxy-Authorization") == expected

    def _refuse(self, route: tuple[str, int] | None) -> None:
        status = 502 if route is None else 407
        self.send_response(status)
        if status == 407:
            self.send_header("Proxy-Authenticate", 'Basic realm="Hospital proxy"')
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "0")
        self.end_headers()

    @staticmethod
    def _forwarded(headers: list[tuple[str, str]]) -> dict[str, str]:
        return {name: value for name, value in headers if name.lower() not in HOP_HEADERS}

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def splice(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways until either side closes or both fall silent; then close both."""
    pair = {one: other, other: one}
    try:
        while True:
            ready, _, _ = select.select(list(pair), [], [], SPLICE_IDLE_SECONDS)
            if not ready:
                return
            for source in ready:
                data = source.recv(65536)
                if not data:
                    return
                pair[source].sendall(data)
                while isinstance(source, ssl.SSLSocket) and source.pending():
                    pair[source].sendall(source.recv(65536))
    except OSError:
        return
    finally:
        for end in pair:
            end.close()


class TlsFront(socketserver.ThreadingTCPServer):
    """Ends TLS with `context` and passes the plain bytes to `upstream` (a loopback port)."""

    daemon_threads = True

    def __init__(self, context: ssl.SSLContext, upstream: tuple[str, int]) -> None:
        super().__init__(("127.0.0.1", 0), _FrontHandler)
        self.context = context
        self.upstream = upstream


class _FrontHandler(socketserver.BaseRequestHandler):
    server: TlsFront

    def handle(self) -> None:
        try:
            secured = self.server.context.wrap_socket(self.request, server_side=True)
        except OSError:  # a client that refused our certificate
            return
        splice(secured, socket.create_connection(self.server.upstream, timeout=5))


@contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
