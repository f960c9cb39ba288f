"""Signing in on this computer when the server cannot be reached, as operating systems do with
cached logons.

Each successful online sign-in leaves a password verifier in the account folder: a salted scrypt
hash, slow on purpose, with its parameters beside it. Never the password, never a token. The
hash is computed on a thread of its own while the learner goes on: it is slow for a guesser, and
would be as slow for every sign-in. With the server out of reach, the same password opens the
account's cache; wrong passwords are counted in a file there, and after a few each next attempt
must wait longer, so a restart does not give a guesser a fresh start. One made too soon is
refused unchecked with how long is left (`TooManyAttempts`), rather than held in a dialog that
looks frozen.

A learner who signs in with the organisation has no password here: she may keep an offline
passcode instead (`desktop_app.sso.passcode`), in the same verifier marked as a passcode, with
the same waits after failures. The password sign-in never opens the account with it, and
signing out removes it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.atomic_file import write_json_atomically
from desktop_app.text import translate

log = logging.getLogger(__name__)
VERIFIER_FILE = "offline-sign-in.json"
ATTEMPTS_FILE = "offline-sign-in-attempts.json"
PASSWORD, PASSCODE = "password", "passcode"  # what the verifier checks; none noted: a password
KINDS = (PASSWORD, PASSCODE)
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # about 0.1 s and 32 MiB per check
FREE_ATTEMPTS = 5
LONGEST_WAIT = 30.0
WAIT_ONE_SECOND = translate("account", "Too many attempts: wait 1 second, then try again.")
WAIT_SECONDS = translate("account", "Too many attempts: wait {seconds} seconds, then try again.")


@dataclass(frozen=True)
class SlowDown:
    """Where the time since the last failed attempt comes from: injected by tests."""

    clock: Callable[[], float] = time.time


class TooManyAttempts(Exception):
    """An attempt made before the wait after repeated failures was over: refused without
    checking (or counting) it, with how many seconds are left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = max(1, math.ceil(seconds))
        self.message = (
            WAIT_ONE_SECOND.format()
            if self.seconds == 1
            else WAIT_SECONDS.format(seconds=self.seconds)
        )
        super().__init__(self.message)


class HeldPassword:
    """The password of an account opened offline, kept in memory only until the server
    gives tokens for it. It never appears in repr(), logs or files."""

    __slots__ = ("_password",)

    def __init__(self, password: str) -> None:
        self._password = password

    def reveal(self) -> str:
        return self._password

    def __repr__(self) -> str:
        return "HeldPassword(…)"


@dataclass(frozen=True)
class CachedLogon:
    """The verifier and the failed-attempt count of one account folder."""

    folder: Path
    slow_down: SlowDown = field(default_factory=SlowDown)

    @property
    def available(self) -> bool:
        """Whether this computer can check a password for the account without the server."""
        return self._kind() == PASSWORD

    @property
    def passcode_kept(self) -> bool:
        """Whether the account has an offline passcode on this computer (and no password)."""
        return self._kind() == PASSCODE

    def keep_passcode(self, passcode: str) -> None:
        """Keep a verifier for the offline passcode the learner chose after signing in with
        the organisation (slow: call it off the UI thread); raises OSError if it cannot."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._clear_failures()
        self._write_verifier(passcode, PASSCODE)

    def forget_passcode(self) -> None:
        """Remove the offline passcode (at sign-out); a password's verifier stays."""
        if self.passcode_kept:
            (self.folder / VERIFIER_FILE).unlink(missing_ok=True)
            self._clear_failures()

    def _kind(self) -> str | None:
        verifier = _read_verifier(self.folder / VERIFIER_FILE)
        return None if verifier is None else verifier.get("kind", PASSWORD)

    def remember(self, password: str) -> threading.Thread:
        """Keep a fresh verifier for `password` (after the server accepted it), computed on
        the thread returned; join it before the folder is closed or removed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._clear_failures()
        hashing = threading.Thread(
            target=self._keep_verifier, args=(password,), name="offline sign-in verifier"
        )
        hashing.start()
        return hashing

    def check(self, password: str) -> bool:
        """Whether `password` is the one last accepted online; counts this attempt if it fails.
        Raises TooManyAttempts while the wait after repeated failures is not over."""
        failures, last = self._failures()
        left = wait_after(failures) - (self.slow_down.clock() - last)
        if left > 0:
            raise TooManyAttempts(left)
        verifier = _read_verifier(self.folder / VERIFIER_FILE)
        if verifier is not None and _matches(password, verifier):
            self._clear_failures()
            return True
        self._count_failure(failures + 1)
        return False

    def _keep_verifier(self, password: str) -> None:
        try:
            self._write_verifier(password, PASSWORD)
        except OSError as error:
            log.warning("Could not keep the offline sign-in check in %s: %s", self.folder, error)

    def _write_verifier(self, secret: str, kind: str) -> None:
        salt = os.urandom(16)
        document = {"algorithm": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
        digest = _scrypt(secret, salt, document)
        verifier = {**document, "kind": kind, "salt": salt.hex(), "hash": digest.hex()}
        write_json_atomically(self.folder / VERIFIER_FILE, verifier)

    def _failures(self) -> tuple[int, float]:
        document = _read_json(self.folder / ATTEMPTS_FILE)
        failures, last = document.get("failures", 0), document.get("last", 0.0)
        if not isinstance(failures, int) or not isinstance(last, (int, float)):
            return FREE_ATTEMPTS + 5, 0.0  # a tampered count keeps the slow-down on
        return failures, float(last)

    def _count_failure(self, failures: int) -> None:
        document = {"failures": failures, "last": self.slow_down.clock()}
        write_json_atomically(self.folder / ATTEMPTS_FILE, document)

    def _clear_failures(self) -> None:
        (self.folder / ATTEMPTS_FILE).unlink(missing_ok=True)


def wait_after(failures: int) -> float:
    """Seconds before the next attempt is checked: none for the first few, then 1, 2, 4, … up
    to 30."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(LONGEST_WAIT, 2.0 ** (failures - FREE_ATTEMPTS))


def _matches(password: str, verifier: dict[str, Any]) -> bool:
    try:
        digest = _scrypt(password, bytes.fromhex(verifier["salt"]), verifier)
    except ValueError:  # parameters scrypt refuses (n not a power of two)
        return False
    return hmac.compare_digest(digest, bytes.fromhex(verifier["hash"]))


def _scrypt(password: str, salt: bytes, parameters: dict[str, Any]) -> bytes:
    n, r, p = parameters["n"], parameters["r"], parameters["p"]
    memory = 256 * n * r * p  # twice what scrypt needs
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=memory, dklen=32)


def _read_verifier(path: Path) -> dict[str, Any] | None:
    """The verifier, or None if there is none or it is not one this version wrote."""
    document = _read_json(path)
    limits = {"n": 2**20, "r": 32, "p": 16}
    texts = [document.get(key) for key in ("salt", "hash")]
    if document.get("algorithm") != "scrypt" or document.get("kind", PASSWORD) not in KINDS:
        return None
    if not all(_within(document.get(key), most) for key, most in limits.items()):
        return None
    if not all(isinstance(text, str) and _is_hex(text) for text in texts):
        return None
    return document


def _within(value: object, most: int) -> bool:
    """A parameter this version could have written: a file cannot make a check take minutes."""
    return isinstance(value, int) and 1 <= value <= most


def _is_hex(text: str) -> bool:
    try:
        return bool(bytes.fromhex(text))
    except ValueError:
        return False


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}
