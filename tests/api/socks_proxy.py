"""A hospital's SOCKS5 proxy on loopback for the tests (RFC 1928, CONNECT only, with the user
name and password sign-in of RFC 1929 when given one). It looks the names it is asked for up in
its `routes` ("host:port" → a loopback address), never in DNS; a name it has no route for is
refused as its rules would (reply 0x02). Records each "host:port" it was asked for.
"""

from __future__ import annotations

import socket
import socketserver
import struct

from connect_proxy import splice

VERSION = 5
NO_SIGN_IN, USER_PASSWORD, NO_METHOD = 0x00, 0x02, 0xFF
CONNECT = 0x01
SUCCEEDED, NOT_ALLOWED, COMMAND_NOT_SUPPORTED = 0x00, 0x02, 0x07
IPV4, NAME, IPV6 = 0x01, 0x03, 0x04


class SocksProxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: dict[str, tuple[str, int]], sign_in: str = "") -> None:
        """`sign_in`: "user:password" the proxy demands, or "" for none."""
        super().__init__(("127.0.0.1", 0), SocksHandler)
        self.routes = routes
        self.sign_in = sign_in
        self.seen: list[str] = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class SocksHandler(socketserver.StreamRequestHandler):
    server: SocksProxy

    def handle(self) -> None:
        try:
            if not self._greeted():
                return
            target = self._requested()
        except (OSError, struct.error, ValueError):
            return
        if target is None:
            return
        self.server.seen.append(target)
        route = self.server.routes.get(target)
        if route is None:
            self._reply(NOT_ALLOWED)
            return
        upstream = socket.create_connection(route, timeout=5)
        self._reply(SUCCEEDED)
        splice(self.connection, upstream)

    def _greeted(self) -> bool:
        version, count = self._read(2)
        methods = self._read(count)
        wanted = USER_PASSWORD if self.server.sign_in else NO_SIGN_IN
        if version != VERSION or wanted not in methods:
            self.connection.sendall(bytes([VERSION, NO_METHOD]))
            return False
        self.connection.sendall(bytes([VERSION, wanted]))
        return wanted == NO_SIGN_IN or self._signed_in()

    def _signed_in(self) -> bool:
        _version, length = self._read(2)
        user = self._read(length).decode()
        (length,) = self._read(1)
        password = self._read(length).decode()
        accepted = f"{user}:{password}" == self.server.sign_in
        self.connection.sendall(bytes([1, 0 if accepted else 1]))
        return accepted

    def _requested(self) -> str | None:
        _version, command, _reserved, kind = self._read(4)
        if kind == IPV4:
            host = socket.inet_ntoa(self._read(4))
        elif kind == IPV6:
            host = socket.inet_ntop(socket.AF_INET6, self._read(16))
        else:
            (length,) = self._read(1)
            host = self._read(length).decode()
        (port,) = struct.unpack("!H", self._read(2))
        if command != CONNECT:
            self._reply(COMMAND_NOT_SUPPORTED)
            return None
        return f"{host}:{port}"

    def _reply(self, code: int) -> None:
        self.connection.sendall(bytes([VERSION, code, 0, IPV4, 0, 0, 0, 0, 0, 0]))

    def _read(self, count: int) -> bytes:
        data = self.rfile.read(count)
        if len(data) != count:
            raise ValueError("the client closed the connection")
        return data
