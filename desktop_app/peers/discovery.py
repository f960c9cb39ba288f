"""Finding the other Rounds sharing their downloads, and being found: mDNS/DNS-SD (zeroconf).

A computer that shares advertises `_rounds-share._tcp` with the port of its share server and a
TXT record naming the server its courses come from (`server`, the account's server id) and the
sharing protocol (`v`). Every computer that downloads browses for that service and keeps the
peers of the same server and protocol, itself left out, in its `PeerList`; a peer that leaves
the network is removed. zeroconf is imported here only, when sharing or looking for peers
starts, never at window start.
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

    def start(self) -> None:
        """Start browsing (imports zeroconf)."""
        from zeroconf import InterfaceChoice, ServiceBrowser, Zeroconf

        with self._lock:
            if self._zeroconf is not None:
                return
            chosen = self._interfaces if self._interfaces is not None else InterfaceChoice.All
            self._zeroconf = Zeroconf(interfaces=chosen)
            self._browser = ServiceBrowser(self._zeroconf, SERVICE, handlers=[self._changed])

    def advertise(self, port: int) -> None:
        """Announce the share server on `port` on every address in use."""
        from zeroconf import ServiceInfo

        self.start()
        info = ServiceInfo(
            SERVICE,
            self._name,
            port=port,
            addresses=[socket.inet_aton(a) for a in self._addresses()],
            properties={"server": self._server_id, "v": PROTOCOL},
        )
        self._zeroconf.register_service(info)
        self._advertised = info

    def withdraw(self) -> None:
        """Stop announcing the share server (browsing goes on)."""
        if self._advertised is not None and self._zeroconf is not None:
            self._zeroconf.unregister_service(self._advertised)
            self._advertised = None

    def stop(self) -> None:
        """Stop announcing and browsing; the peers found are forgotten."""
        self.withdraw()
        with self._lock:
            zeroconf, self._zeroconf = self._zeroconf, None
            browser, self._browser = self._browser, None
        if browser is not None:
            browser.cancel()
        if zeroconf is not None:
            zeroconf.close()
        with self._lock:
            found, self._found = self._found, {}
        for url in found.values():
            self._peers.remove(url)

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
        if url is not None:
            with self._lock:
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
