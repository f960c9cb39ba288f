"""ReferenceServer: the API served by uvicorn on a background thread (tests and the demo)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

import uvicorn

from reference_server.admin import Admin
from reference_server.app import create_app
from reference_server.backend import Backend
from reference_server.db import utc_now
from reference_server.faults import FaultInjector, RecordedRequest, RequestLog
from reference_server.learner_identity import IdentitySettings, LearnerIdentity
from reference_server.lrs_proxy import UpstreamLrs
from reference_server.middleware import DEFAULT_BODY_LIMIT
from reference_server.sso_provider import SsoSettings

SAMPLE_CURRICULUM = Path(__file__).resolve().parents[1] / "resources" / "curriculum"
STARTUP_TIMEOUT = 20.0
SHUTDOWN_GRACE = 3.0
log = logging.getLogger(__name__)


class ReferenceServer:
    """One server over one data folder.

    `curriculum` is loaded (and published) at start; pass SAMPLE_CURRICULUM for the demo data.
    `public_url` is the address learners know the server by, which names their xAPI accounts
    unless `identity` says otherwise. `sso` is the OpenID Connect provider it trusts, if any;
    `lrs_upstream` the organisation's LRS that learners' statements go to through this server.
    `admin` changes published data, `faults` injects failures, `requests` lists what arrived.
    `stop` lets requests in flight finish, for up to `shutdown_grace` seconds."""

    def __init__(
        self,
        data_dir: Path | str,
        curriculum: Path | str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        database_url: str | None = None,
        body_limit: int = DEFAULT_BODY_LIMIT,
        clock: Callable[[], datetime] = utc_now,
        public_url: str | None = None,
        shutdown_grace: float = SHUTDOWN_GRACE,
        identity: IdentitySettings | None = None,
        sso: SsoSettings | None = None,
        lrs_upstream: UpstreamLrs | None = None,
    ) -> None:
        self.backend = Backend.open(Path(data_dir), database_url, clock, public_url)
        self.identity = LearnerIdentity.resolve(
            self.backend.home_page, self.backend.former_home_pages, identity
        )
        self.sso = sso
        self.lrs_upstream = lrs_upstream
        self.admin = Admin(self.backend)
        self.faults = FaultInjector()
        self._log = RequestLog()
        self._curriculum = Path(curriculum) if curriculum is not None else None
        self._host, self._port = host, port
        self._body_limit = body_limit
        self._shutdown_grace = shutdown_grace
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:8765 (known once started)."""
        if self._url is None:
            raise RuntimeError("the server is not started")
        return self._url

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._log.snapshot()

    def clear_requests(self) -> None:
        self._log.clear()

    def start(self) -> ReferenceServer:
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        if self._curriculum is not None:
            self.admin.load_curriculum(self._curriculum)
        if not self.admin.users.list():
            log.info(
                "No users yet: add one with `python -m reference_server users --data %s add "
                "USERNAME --name 'DISPLAY NAME'` (it asks for the password).",
                self.backend.data_dir,
            )
        self._socket = _bind(self._host, self._port)
        host, port = self._socket.getsockname()[:2]
        self._url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        app = create_app(
            self.backend,
            self.faults,
            self._log,
            self._body_limit,
            identity=self.identity,
            sso=self.sso,
            lrs_upstream=self.lrs_upstream,
        )
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            http="h11",
            timeout_graceful_shutdown=max(1, round(self._shutdown_grace)),
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="reference-server",
            daemon=True,
        )
        self._thread.start()
        self._wait_started()
        return self

    def _wait_started(self) -> None:
        assert self._server is not None and self._thread is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the reference server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=self._shutdown_grace + 10)
        if self._socket is not None:
            self._socket.close()
        self._server, self._thread = None, None
        self.backend.close()

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP lets asyncio set TCP_NODELAY on each accepted connection; without it
    # every small response waits for the peer's delayed ACK (about 40 ms on loopback).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if os.name != "nt":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
