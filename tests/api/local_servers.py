"""Tiny local HTTP servers for what the reference server cannot be: a TLS server with its own
certificate authority and a forward proxy, which answer every request with a canned sign-in,
and a server that falls silent in the middle of a reply."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SIGN_IN_REPLY = {
    "access_token": "canned-access",
    "refresh_token": "canned-refresh",
    "token_type": "Bearer",
    "expires_in": 900,
    "user": {"id": "u-ana", "username": "ana", "display_name": "Ana Ortiz"},
}
LOOPBACK_NAMES = ("localhost", "127.0.0.1")


class CannedServer(ThreadingHTTPServer):
    """Remembers the request line of every request it answered."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), CannedSignIn)
        self.seen: list[str] = []


class CannedSignIn(BaseHTTPRequestHandler):
    """Answers any request with a sign-in reply."""

    server: CannedServer

    def do_POST(self) -> None:
        self.server.seen.append(self.requestline)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps(SIGN_IN_REPLY).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def canned_server(context: ssl.SSLContext | None = None) -> Iterator[CannedServer]:
    server = CannedServer()
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class StallingServer(ThreadingHTTPServer):
    """Sends every reply's head at once and the first byte of its body `lead` seconds later,
    then nothing more until the client hangs up: a server, or a proxy, that falls silent just
    before the client's deadline. The head suits a JSON reply and the asset `STALLED_ASSET`."""

    daemon_threads = True

    def __init__(self, lead: float) -> None:
        super().__init__(("127.0.0.1", 0), StallingReply)
        self.lead = lead
        self.closing = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


STALLED_ASSET = "5" * 64


class StallingReply(BaseHTTPRequestHandler):
    server: StallingServer

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.send_header("ETag", f'"{STALLED_ASSET}"')
        self.end_headers()
        self.server.closing.wait(self.server.lead)
        self.wfile.write(b"{")
        self.connection.recv(1)  # returns once the client hangs up

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def stalling_server(lead: float) -> Iterator[StallingServer]:
    server = StallingServer(lead)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()
        thread.join()


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    subject: str,
    issuer: str,
    public_key: Any,
    signing_key: Any,
    ca: bool,
    names: tuple[str, ...] = LOOPBACK_NAMES,
    expired: bool = False,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=2 if expired else 0)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        alternatives = [_alternative_name(name) for name in names]
        builder = builder.add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _alternative_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def hospital_ca(
    folder: Path, names: tuple[str, ...] = LOOPBACK_NAMES, expired: bool = False
) -> tuple[Path, ssl.SSLContext]:
    """A private CA (as a hospital's TLS-inspecting proxy has) and a server context it signed,
    for `names`; an `expired` certificate ran out yesterday."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certificate(
        "Hospital Root CA", "Hospital Root CA", ca_key.public_key(), ca_key, True
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(
        names[0], "Hospital Root CA", key.public_key(), ca_key, False, names, expired
    )
    ca_file, chain_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "key.pem"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    chain_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain_file, key_file)
    return ca_file, context
