"""Assets: content-addressed downloads with ETag, single byte ranges and streaming."""

from __future__ import annotations

import hashlib
import socket
import tracemalloc
from pathlib import Path

import pytest
import requests

from reference_server import ReferenceServer

from .testkit import VIDEO_BYTES, Api, assert_problem

VIDEO_SHA = hashlib.sha256(VIDEO_BYTES).hexdigest()
PATH = f"/api/v1/assets/{VIDEO_SHA}"


def test_whole_asset_with_etag_and_type(shared_api: Api) -> None:
    response = shared_api.get(PATH)
    assert response.status_code == 200
    assert response.content == VIDEO_BYTES
    assert response.headers["ETag"] == f'"{VIDEO_SHA}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.headers["Content-Length"] == str(len(VIDEO_BYTES))


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=1000-", 1000, len(VIDEO_BYTES) - 1),
        ("bytes=10-19", 10, 19),
        ("bytes=-100", len(VIDEO_BYTES) - 100, len(VIDEO_BYTES) - 1),
        ("bytes=307000-999999", 307000, len(VIDEO_BYTES) - 1),
    ],
)
@pytest.mark.backend_neutral
def test_range_requests_get_206(shared_api: Api, header: str, start: int, end: int) -> None:
    response = shared_api.get(PATH, headers={"Range": header})
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{len(VIDEO_BYTES)}"
    assert response.content == VIDEO_BYTES[start : end + 1]
    assert response.headers["Content-Length"] == str(end - start + 1)


@pytest.mark.parametrize("header", [f"bytes={len(VIDEO_BYTES)}-", "bytes=999999-", "bytes=-0"])
@pytest.mark.backend_neutral
def test_unsatisfiable_range_is_416(shared_api: Api, header: str) -> None:
    response = shared_api.get(PATH, headers={"Range": header})
    assert_problem(response, 416)
    assert response.headers["Content-Range"] == f"bytes */{len(VIDEO_BYTES)}"


@pytest.mark.parametrize("header", ["bytes=5-1", "items=0-10", "bytes=0-1,5-9", "bytes=a-b"])
@pytest.mark.backend_neutral
def test_unusable_range_headers_get_the_whole_file(shared_api: Api, header: str) -> None:
    response = shared_api.get(PATH, headers={"Range": header})
    assert response.status_code == 200 and response.content == VIDEO_BYTES


@pytest.mark.backend_neutral
def test_if_none_match_gives_304(shared_api: Api) -> None:
    response = shared_api.get(PATH, headers={"If-None-Match": f'"{VIDEO_SHA}"'})
    assert response.status_code == 304
    assert response.content == b""
    other = shared_api.get(PATH, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


@pytest.mark.backend_neutral
def test_if_range_with_another_etag_sends_everything(shared_api: Api) -> None:
    response = shared_api.get(PATH, headers={"Range": "bytes=10-", "If-Range": '"old"'})
    assert response.status_code == 200 and len(response.content) == len(VIDEO_BYTES)
    matching = shared_api.get(PATH, headers={"Range": "bytes=10-", "If-Range": f'"{VIDEO_SHA}"'})
    assert matching.status_code == 206


def test_unknown_or_malformed_digest_is_404_and_token_is_required(
    shared_server: ReferenceServer, shared_api: Api
) -> None:
    assert_problem(shared_api.get("/api/v1/assets/" + "0" * 64), 404, "not-found")
    assert_problem(shared_api.get("/api/v1/assets/../../etc/passwd"), 404)
    assert_problem(shared_api.get("/api/v1/assets/not-a-digest"), 404, "not-found")
    assert_problem(requests.get(shared_server.url + PATH, timeout=10), 401, "unauthorized")


def _raw_get(url: str, path: str, token: str) -> tuple[bytes, bytes]:
    """Headers and body exactly as they arrived, until the server closed the connection."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n"
        connection.sendall(request.encode())
        received = bytearray()
        while chunk := connection.recv(65536):
            received.extend(chunk)
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    return head, body


@pytest.mark.backend_neutral
def test_dropped_download_sends_only_the_first_bytes(
    shared_server: ReferenceServer, shared_api: Api
) -> None:
    shared_server.faults.add("/api/v1/assets/", drop_after_bytes=100_000)
    head, body = _raw_get(shared_server.url, PATH, shared_api.tokens["access_token"])
    assert f"content-length: {len(VIDEO_BYTES)}".encode() in head.lower()
    assert body == VIDEO_BYTES[:100_000]
    with pytest.raises(requests.exceptions.RequestException):
        shared_server.faults.add("/api/v1/assets/", drop_after_bytes=5000)
        shared_api.get(PATH)
    rest = shared_api.get(PATH, headers={"Range": f"bytes={len(body)}-"})
    assert rest.status_code == 206
    assert hashlib.sha256(body + rest.content).hexdigest() == VIDEO_SHA
    ranges = [r.headers.get("range") for r in shared_server.requests if r.path == PATH]
    assert ranges[-1] == "bytes=100000-"


@pytest.mark.backend_neutral
def test_large_asset_is_streamed_not_read_into_memory(
    shared_server: ReferenceServer, shared_api: Api, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    block = hashlib.sha256(b"seed").digest() * 32768  # 1 MiB
    with open(big, "wb") as handle:
        for _ in range(48):
            handle.write(block)
    digest = shared_server.admin.add_asset_file(big, "video/mp4")
    tracemalloc.start()
    try:
        total, hasher = 0, hashlib.sha256()
        with shared_api.get(f"/api/v1/assets/{digest}", stream=True) as response:
            for chunk in response.iter_content(64 * 1024):
                hasher.update(chunk)
                total += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total == 48 * 1024 * 1024 and hasher.hexdigest() == digest
    assert peak < 12 * 1024 * 1024
