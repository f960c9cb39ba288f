"""One asset's bytes as they arrive, asked for by its digest (`ApiClient.open_asset_stream`).

Loaded with the first download, with the transport it streams through.
"""

from __future__ import annotations

import requests

from desktop_app.api.deadline import TimedStream
from desktop_app.api.failures import refuse_web_page
from desktop_app.api.transport import Transport


def open_asset(transport: Transport, sha256: str, start_byte: int, etag: str | None) -> TimedStream:
    """The asset from `start_byte` on; with `etag`, If-Range, so a changed file comes whole."""
    headers: dict[str, str] = {"Accept": "*/*"}
    if start_byte > 0:
        headers["Range"] = f"bytes={start_byte}-"
        if etag:
            headers["If-Range"] = etag
    response = transport.request("GET", f"/api/v1/assets/{sha256}", headers=headers, stream=True)
    if not _is_asset(response, sha256):
        refuse_web_page(response, transport.host)
    return TimedStream(response, transport.deadline())


def _is_asset(response: requests.Response, sha256: str) -> bool:
    """The server names every asset by its digest (`ETag: "<sha256>"`, weak once a proxy has
    compressed it), so an HTML lesson is told apart from a portal's page."""
    etag = response.headers.get("ETag", "").strip().removeprefix("W/")
    return etag == f'"{sha256}"'
