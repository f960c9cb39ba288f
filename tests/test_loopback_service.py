"""The harness the tests run third-party servers with, on Python's own http.server."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import requests
from loopback_service import LoopbackService, ServiceUnavailable


class HttpServer(
    LoopbackService,
    label="http.server",
    listening=re.compile(r"Serving HTTP on 127\.0\.0\.1 port (?P<port>\d+)"),
):
    """Python's http.server, which prints its port once listening."""


def serve(workdir: Path, *arguments: str) -> HttpServer:
    command = [sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1", *arguments]
    return HttpServer.launch(command, workdir, "server.log")


def test_a_service_is_found_on_its_port_answers_and_stops(tmp_path: Path) -> None:
    (tmp_path / "ping.txt").write_text("pong", encoding="utf-8")
    service = serve(tmp_path, "0")
    try:
        service.wait_until_answering(f"{service.address}/ping.txt")
        assert requests.get(f"{service.address}/ping.txt", timeout=5).text == "pong"
    finally:
        service.stop()
    assert service.process.returncode is not None


def test_a_service_that_exits_at_once_is_unavailable_with_its_output(tmp_path: Path) -> None:
    with pytest.raises(ServiceUnavailable, match=r"http\.server did not start") as raised:
        serve(tmp_path, "not-a-port")
    assert "not-a-port" in str(raised.value)
