"""How the transport behaves on the network (`desktop_app.api.transport`), as plain values.

Kept apart from the transport so that an account can be opened, and its settings turned into
a configuration, without importing requests, urllib3 or ssl: they load with the first request.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TransportConfig:
    """Network behaviour; the defaults suit a hospital network, tests shrink the waits."""

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 120.0  # for a whole request; for each 256 KiB of a download
    retries: int = 4
    connect_retries: int = 2  # a refused connection or unknown name seldom heals in seconds
    backoff_factor: float = 0.5
    backoff_jitter: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 60.0
    ca_bundle: str = ""
    proxy_url: str = ""  # "": the PAC file's choice, else the system's (environment, OS)
    proxy_pac_url: str = ""  # a proxy auto-config file; "": the system's, if any
