"""This computer's part in sharing downloads: its share server, announced on the network while
the learner shares, and the search for peers, begun the first time a download asks for them
while fetching from peers is on.

Sharing needs the learner's consent (`Settings.share_downloads`, off by default and lockable
by IT's policy) and ends when the window closes. Fetching from peers is a choice of its own
(`Settings.fetch_from_peers`, off by default and lockable): a computer that may not find a
colleague nearby (a hospital workstation) neither imports zeroconf nor opens a multicast
socket to look. A file from a peer is verified against the catalog like one from the server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop_app.content_store import ContentStore
from desktop_app.peers.peer_list import PeerList
from desktop_app.text import translate

if TYPE_CHECKING:  # imported on first use: an idle window loads neither (tests/app)
    from desktop_app.peers.discovery import Discovery
    from desktop_app.peers.server import ShareServer

log = logging.getLogger(__name__)

CANNOT_SHARE = translate("peers", "Downloads cannot be shared: {reason}")


class SharingError(Exception):
    """The share server could not start (no free port, no network); nothing is shared."""


class Sharing:
    """The share server and discovery of one account's content store.

    `host` is where the share server listens (every address; tests give 127.0.0.1, and the
    same as `interfaces`, the addresses discovery uses)."""

    def __init__(
        self,
        store: ContentStore,
        peers: PeerList,
        server_id: str,
        *,
        host: str = "0.0.0.0",
        interfaces: Sequence[str] | None = None,
    ) -> None:
        self._store, self.peers, self._host = store, peers, host
        self._server_id, self._interfaces = server_id, interfaces
        self._found: Discovery | None = None
        self._server: ShareServer | None = None
        self._lock = threading.RLock()
        peers.when_first_asked(self.look_for_peers)

    @property
    def sharing(self) -> bool:
        return self._server is not None

    @property
    def bytes_shared(self) -> int:
        """File bytes sent to peers since sharing last started."""
        server = self._server
        return server.bytes_sent if server is not None else 0

    @property
    def _discovery(self) -> Discovery:
        with self._lock:
            if self._found is None:
                from desktop_app.peers.discovery import Discovery

                self._found = Discovery(self.peers, self._server_id, self._interfaces)
            return self._found

    @property
    def fetching(self) -> bool:
        """Whether files are fetched from peers (and peers looked for when a download asks)."""
        return self.peers.fetching

    def fetch_from_peers(self, on: bool) -> None:
        """Turn fetching from peers on (the search begins when a download next asks) or off
        (the search stops, and zeroconf's sockets close unless this computer shares)."""
        self.peers.set_fetching(on)
        if not on and self._found is not None:
            self._found.stop_browsing()

    def look_for_peers(self) -> None:
        """Begin browsing for peers (once; later calls do nothing)."""
        try:
            self._discovery.browse()
        except OSError as error:  # no network to browse on: downloads come from the server
            log.info("Not looking for peers: %s", error)
        if not self.peers.fetching:  # turned off while the search began
            self._discovery.stop_browsing()

    def start(self) -> None:
        """Share the downloaded files; `SharingError` if the server cannot start."""
        with self._lock:
            if self._server is None:
                self._server = self._open_server()
                log.info("Sharing downloads on port %d", self._server.port)

    def _open_server(self) -> ShareServer:
        from desktop_app.peers.server import ShareServer

        try:
            server = ShareServer(self._store, self._host)
        except OSError as error:
            raise SharingError(CANNOT_SHARE.format(reason=str(error))) from error
        server.start()
        try:
            self._discovery.advertise(server.port)
        except Exception as error:  # zeroconf's own errors as well as the network's
            server.stop()
            reason = str(error) or type(error).__name__
            raise SharingError(CANNOT_SHARE.format(reason=reason)) from error
        return server

    def stop(self) -> None:
        """Stop sharing: no longer announced, transfers in flight end."""
        with self._lock:
            server, self._server = self._server, None
        if server is None:
            return
        self._discovery.withdraw()
        server.stop()
        log.info("Stopped sharing downloads (%d bytes sent)", server.bytes_sent)

    def close(self) -> None:
        """Stop sharing and looking for peers."""
        self.stop()
        if self._found is not None:
            self._found.stop()
