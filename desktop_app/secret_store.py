"""One secret in the operating system's keyring, and nowhere else on disk.

A `SecretStore` is one keyring entry (service, account) holding one string: the session tokens
of an account, or the password of a learning record store. Without a usable keyring (a
locked-down workstation, a headless server), or once the keyring raises, the secret lives in
this process's memory for the session only and `persistent` is False, so the UI can say that
the next start will ask again. Secrets are never written to a file.
"""

from __future__ import annotations

import logging
import threading

import keyring
from keyring.backends import fail
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)


def keyring_usable() -> bool:
    """False when keyring has no real backend (its 'fail' backend raises on every call)."""
    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except KeyringError:
        return False


class SecretStore:
    """The secret of keyring entry (`service`, `account`), safe to use from any thread.

    The keyring is read once: the API client asks for its token before every request, and a
    keyring call may cross a process boundary (D-Bus, the macOS keychain).
    """

    def __init__(self, service: str, account: str) -> None:
        self.service = service
        self.account = account
        self.persistent = keyring_usable()
        self._secret: str | None = None
        self._loaded = not self.persistent
        self._lock = threading.Lock()

    def load(self) -> str | None:
        with self._lock:
            if not self._loaded:
                self._secret, self._loaded = self._read(), True
            return self._secret

    def save(self, secret: str) -> None:
        with self._lock:
            self._secret, self._loaded = secret, True
            if self.persistent:
                self._write(secret)

    def clear(self) -> None:
        """Forget the secret, here and in the keyring (sign-out, or a revoked session)."""
        with self._lock:
            self._secret, self._loaded = None, True
            if self.persistent:
                self._delete()

    def _read(self) -> str | None:
        try:
            return keyring.get_password(self.service, self.account)
        except KeyringError as error:
            self._fall_back_to_memory(error)
            return None

    def _write(self, secret: str) -> None:
        try:
            keyring.set_password(self.service, self.account, secret)
        except KeyringError as error:
            self._fall_back_to_memory(error)

    def _delete(self) -> None:
        try:
            keyring.delete_password(self.service, self.account)
        except PasswordDeleteError:
            pass
        except KeyringError as error:
            log.warning(
                "Could not remove %r from the keyring: %s", self.service, type(error).__name__
            )

    def _fall_back_to_memory(self, error: KeyringError) -> None:
        log.warning(
            "The system keyring is not usable (%s); %r is kept for this session only",
            type(error).__name__,
            self.service,
        )
        self.persistent = False
