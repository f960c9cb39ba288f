"""The mDNS sockets this process holds (Linux: /proc), standard library only, so a child
process of the tests can count its own without loading anything else."""

from __future__ import annotations

import os
from pathlib import Path

MDNS_PORT = 5353


def mdns_sockets() -> int:
    """How many sockets of this process are bound to the mDNS port (Linux: /proc)."""
    inodes = set()
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == MDNS_PORT:
                inodes.add(fields[9])
    held = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held
