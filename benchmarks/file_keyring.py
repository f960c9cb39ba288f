"""A keyring kept in one JSON file, so that a benchmark's child processes share a sign-in.

The start-up benchmark opens the same account in many fresh `python -m desktop_app` processes,
each of which must resume from stored tokens without asking for a password, as a learner's
start does with the system keyring. Select it with
`PYTHON_KEYRING_BACKEND=benchmarks.file_keyring.FileKeyring` and name the file in
`ROUNDS_BENCH_KEYRING`. It imports nothing beyond the standard library and keyring, so the
processes it is loaded into start as they would with the system keyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_VARIABLE = "ROUNDS_BENCH_KEYRING"


class FileKeyring(KeyringBackend):
    """Secrets as {"service\\0username": secret} in the file `ROUNDS_BENCH_KEYRING` names."""

    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ[FILE_VARIABLE])

    def _entries(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = {**self._entries(), f"{service}\0{username}": password}
        self._path.write_text(json.dumps(entries), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        if entries.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path.write_text(json.dumps(entries), encoding="utf-8")
