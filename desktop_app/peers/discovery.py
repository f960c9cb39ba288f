"""Finding the other Rounds sharing their downloads, and being found: mDNS/DNS-SD (zeroconf).

A computer that shares advertises `_rounds-share._tcp` with the port of its share server and a
TXT record naming the server its courses come from (`server`, the account's server id) and the
sharing protocol (`v`). A computer that fetches from peers browses for that service and keeps
the peers of the same server and protocol, itself left out, in its `PeerList`; a peer that
leaves the network is removed. zeroconf is imported here only, when sharing or looking for
peers starts, never at window start; its multicast sockets are open only while this computer
advertises or browses.
"""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from collections.abc import Sequence
from typing import Any

from desktop_app.peers.peer_list import PeerList

log = logging.getLogger(__name__)

SERVICE = "_rounds-share._tcp.local."
PROTOCOL = "1"
LOOKUP_MS = 3000


class Discovery:
    """Browses for peers into `peers`; `advertise` makes this computer's share server known.

    `interfaces` are the addresses to use (all of the computer's by default; tests give
    127.0.0.1)."""

    def __init__(
        self, peers: PeerList, server_id: str, interfaces: Sequence[str] | None = None
    ) -> None:
        self._peers, self._server_id = peers, server_id
        self._interfaces = list(interfaces) if interfaces is not None else None
        self._name = f"rounds-{uuid.uuid4().hex[:12]}.{SERVICE}"
        self._found: dict[str, str] = {}  # service name -> peer url
        self._lock = threading.Lock()
        self._zeroconf: Any = None
        self._browser: Any = None
        self._advertised: Any = None

    def browse(self) -> None:
        """Start browsing for peers (imports zeroconf); once, later calls do nothing."""
        from zeroconf import ServiceBrowser

        with self._lock:
            if self._browser is None:
                self._browser = ServiceBrowser(self._opened(), SERVICE, handlers=[self._changed])

    def advertise(self, port: int) -> None:
        """Announce the share server on `port` on every address in use."""
        from zeroconf import ServiceInfo

        info = ServiceInfo(
            SERVICE,
            self._name,
            port=port,
            addresses=[socket.inet_aton(a) for a in self._addresses()],
            properties={"server": self._server_id, "v": PROTOCOL},
        )
        with self._lock:
            zeroconf = self._opened()
        zeroconf.register_service(info)
        self._advertised = info

    def _opened(self) -> Any:
        """The zeroconf instance (its sockets), opened on first use; under the lock."""
        from zeroconf import InterfaceChoice, Zeroconf

        if self._zeroconf is None:
            chosen = self._interfaces if self._interfaces is not None else InterfaceChoice.All
            self._zeroconf = Zeroconf(interfaces=chosen)
        return self._zeroconf

    def withdraw(self) -> None:
        """Stop announcing the share server; without browsing, zeroconf's sockets close."""
        if self._advertised is not None and self._zeroconf is not None:
            self._zeroconf.unregister_service(self._advertised)
            self._advertised = None
        self._close_if_idle()

    def stop_browsing(self) -> None:
        """Stop browsing; the peers found are forgotten; without advertising, the sockets
        close."""
        with self._lock:
            browser, self._browser = self._browser, None
            found, self._found = self._found, {}
        if browser is not None:
            browser.cancel()
        for url in found.values():
            self._peers.remove(url)
        self._close_if_idle()

    def stop(self) -> None:
        """Stop announcing and browsing; the peers found are forgotten."""
        self.withdraw()
        self.stop_browsing()

    def _close_if_idle(self) -> None:
        with self._lock:
            idle = self._browser is None and self._advertised is None
            zeroconf = self._zeroconf if idle else None
            if idle:
                self._zeroconf = None
        if zeroconf is not None:
            zeroconf.close()

    def _addresses(self) -> list[str]:
        if self._interfaces is not None:
            return [a for a in self._interfaces if _is_ipv4(a)]
        import ifaddr

        return [
            str(ip.ip)
            for adapter in ifaddr.get_adapters()
            for ip in adapter.ips
            if isinstance(ip.ip, str) and not ip.ip.startswith("127.")
        ]

    def _changed(self, zeroconf: Any, service_type: str, name: str, state_change: Any) -> None:
        from zeroconf import ServiceStateChange

        if name == self._name:
            return
        if state_change is ServiceStateChange.Removed:
            with self._lock:
                url = self._found.pop(name, None)
            if url is not None:
                self._peers.remove(url)
            return
        info = zeroconf.get_service_info(service_type, name, timeout=LOOKUP_MS)
        url = _peer_url(info, self._server_id) if info is not None else None
        if url is None:
            return
        with self._lock:
            if self._browser is None:  # stopped browsing while the peer was looked up
                return
            self._found[name] = url
            self._peers.add(url)
        log.info("Found a peer sharing downloads at %s", url)


def _peer_url(info: Any, server_id: str) -> str | None:
    """The peer's share address if it shares courses of our server by our protocol."""
    properties = {
        (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
        for k, v in (info.properties or {}).items()
    }
    if properties.get("server") != server_id or properties.get("v") != PROTOCOL:
        return None
    addresses = info.parsed_addresses()
    ipv4 = [a for a in addresses if _is_ipv4(a)]
    if not ipv4 or not info.port:
        return None
    return f"http://{ipv4[0]}:{info.port}"


def _is_ipv4(address: str) -> bool:
    try:
        socket.inet_aton(address)
    except OSError:
        return False
    return address.count(".") == 3
