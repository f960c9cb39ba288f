"""What running a PAC file's FindProxyForURL in a child process costs per request.

Ours: `desktop_app.api.pac_script.PacProcess`, the script in a child process, each call a round
trip through a pipe (which is what lets a script that never returns be stopped). Peer: the same
`PacScript` run by dukpy in this process, as before (no way to stop it). A hospital-like script
(host patterns and domains, no DNS lookups). Each round times `CALLS` calls per side, A B A B;
the figures are medians of the rounds' medians, in microseconds. The child's start (an
interpreter that imports dukpy and pypac, paid once per run) is reported apart.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.pairs import alternate
from benchmarks.table import Figure
from desktop_app.api.pac_script import PacProcess, PacScript

TIMEOUT_SECONDS = 120
ROUNDS, CALLS, STARTS = 15, 200, 5
SCRIPT = """
function FindProxyForURL(url, host) {
    if (isPlainHostName(host) || dnsDomainIs(host, ".intranet.hospital.org")) return "DIRECT";
    if (shExpMatch(host, "*.learning.hospital.org") || shExpMatch(url, "https://lrs.*"))
        return "PROXY proxy1.hospital.org:3128; PROXY proxy2.hospital.org:3128; DIRECT";
    if (dnsDomainIs(host, ".research.org")) return "SOCKS5 socks.hospital.org:1080";
    return "PROXY proxy1.hospital.org:3128";
}
"""
URLS = (
    ("https://rounds.learning.hospital.org/api/v1/catalog", "rounds.learning.hospital.org"),
    ("https://wiki.intranet.hospital.org/page", "wiki.intranet.hospital.org"),
    ("https://lrs.example.org/xapi/statements", "lrs.example.org"),
    ("https://data.research.org/a", "data.research.org"),
)


def per_call_us(script: PacScript | PacProcess) -> float:
    times = []
    for n in range(CALLS):
        url, host = URLS[n % len(URLS)]
        started = time.perf_counter()
        script.find_proxy_for_url(url, host)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def start_seconds() -> float:
    started = time.perf_counter()
    PacProcess(SCRIPT).close()
    return time.perf_counter() - started


def run() -> list[Figure]:
    child, here = PacProcess(SCRIPT), PacScript(SCRIPT)
    try:
        pairs = alternate(lambda _: per_call_us(child), lambda _: per_call_us(here), ROUNDS)
    finally:
        child.close()
    starts = [start_seconds() for _ in range(STARTS)]
    return [
        Figure(
            "PAC call: child process vs in-process dukpy",
            pairs.ours_median,
            pairs.peer_median,
            "µs",
            None,
            note=f"ours {min(pairs.ours):.0f}–{max(pairs.ours):.0f} µs, "
            f"in-process {min(pairs.peer):.0f}–{max(pairs.peer):.0f} µs",
            ratio_range=pairs.ratio_range(),
        ),
        Figure(
            "PAC child process start (once per run)",
            statistics.median(starts) * 1000,
            1000.0,
            "ms",
            None,
            note=f"{min(starts) * 1000:.0f}–{max(starts) * 1000:.0f} ms over {STARTS} starts",
        ),
    ]
