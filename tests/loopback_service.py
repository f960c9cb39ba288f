"""A third-party server run for a test on 127.0.0.1: started from a command with its output in a
log file, its port read from the line it prints once listening, stopped with SIGTERM (then
killed). Learning Locker, ralph and the OpenID provider are each one of these."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Self

import pytest
import requests

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


class ServiceUnavailable(Exception):
    """The program or its package is missing, or it did not start; says what to do."""


@dataclass
class LoopbackService:
    """A running service; `address` is http://127.0.0.1:PORT.

    A kind of service is declared as `class Name(LoopbackService, label=..., listening=...,
    unavailable=...)`: it names itself in messages with `label`, `listening` matches the line
    it prints once it listens (its port in group `port`), and it raises `unavailable` when it
    cannot run."""

    process: subprocess.Popen[bytes]
    output: Path
    address: str

    label: ClassVar[str] = "the service"
    unavailable: ClassVar[type[ServiceUnavailable]] = ServiceUnavailable
    listening: ClassVar[re.Pattern[str]]

    def __init_subclass__(
        cls, *, label: str, listening: re.Pattern[str],
        unavailable: type[ServiceUnavailable] = ServiceUnavailable,
    ) -> None:  # fmt: skip
        super().__init_subclass__()
        cls.label, cls.listening, cls.unavailable = label, listening, unavailable

    @classmethod
    def launch(
        cls, command: Sequence[str], workdir: Path, log_name: str,
        env: Mapping[str, str] | None = None,
    ) -> Self:  # fmt: skip
        """Starts `command` in `workdir` and waits (START_TIMEOUT) for its listening line."""
        workdir.mkdir(parents=True, exist_ok=True)
        output = workdir / log_name
        with output.open("wb") as sink:
            process = subprocess.Popen(
                list(command), cwd=workdir, env=env, stdout=sink, stderr=subprocess.STDOUT
            )
        port = cls._wait_for_port(process, output)
        return cls(process, output, f"http://127.0.0.1:{port}")

    @classmethod
    def _wait_for_port(cls, process: subprocess.Popen[bytes], output: Path) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            match = cls.listening.search(output.read_text(encoding="utf-8", errors="replace"))
            if match:
                return int(match.group("port"))
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
                text = output.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise cls.unavailable(f"{cls.label} did not start:\n{text}")
            time.sleep(0.05)

    def wait_until(self, check: Callable[[], bool]) -> None:
        """Polls `check` (a refused or failed request counts as not yet) until it is true;
        stops the service and raises `unavailable` if it exits or START_TIMEOUT passes."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if check():
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise self.unavailable(f"{self.label} did not answer:\n{self.log_text()}")
            time.sleep(0.1)

    def wait_until_answering(self, url: str, headers: Mapping[str, str] | None = None) -> None:
        """Waits until a GET of `url` answers 200."""
        self.wait_until(lambda: requests.get(url, headers=headers, timeout=2).status_code == 200)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)

    def log_text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")[-3000:]


@contextmanager
def running[S: LoopbackService](
    start: Callable[[Path], S], workdir: Path, what: str
) -> Iterator[S]:
    """The service for the tests of a module, stopped after them; without it they fail with
    "`what` is not available" and the reason (what to install)."""
    try:
        service = start(workdir)
    except ServiceUnavailable as error:
        problem = str(error)
    else:
        try:
            yield service
        finally:
            service.stop()
        return
    pytest.fail(f"{what} is not available: {problem}", pytrace=False)
