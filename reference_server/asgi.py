"""The ASGI entry point for a process manager: `reference_server.asgi:app`.

    uvicorn reference_server.asgi:app --workers 4 --no-access-log
    gunicorn reference_server.asgi:app -k uvicorn_worker.UvicornWorker -w 4

Every worker reads the same environment:

ROUNDS_DATABASE_URL      SQLAlchemy URL of the database all workers share (required)
ROUNDS_DATA_DIR          the data folder all workers share: assets, keys, server-id (required,
                         must exist; a shared volume when the workers run on several hosts)
ROUNDS_SIGNING_KEY_FILE  Ed25519 keys (PEM): the first, private, signs badges and course
                         packages; keys after it are earlier ones that still verify (rotation)
                         (default: keys/badge-ed25519.pem in the data folder, made if missing)
ROUNDS_CURSOR_KEY        secrets of 32 characters or more that sign feed cursors, the current
                         first, earlier ones after it, separated by commas (default: derived
                         from the signing key file, else keys/cursor-hmac.key in the data folder)
ROUNDS_PUBLIC_URL        the address learners know the server by; names their xAPI accounts
ROUNDS_ACTOR_HOME_PAGE   the identity home page of learners' xAPI accounts: the hospital's LMS or
                         identity provider (default: the public URL)
ROUNDS_ACTOR_MAIL_DOMAIN name learners to an LRS by mbox, username@domain, instead of an account
ROUNDS_ACTOR_MAIL_ADDRESSES  1 (or true): name a learner whose own e-mail address the server
                         knows by that address's mbox, ahead of every other way (default: 0)
ROUNDS_ACTIVITY_IRI_BASE, ROUNDS_EXTENSIONS_IRI_BASE  IRI bases of activities and of Rounds'
                         xAPI extensions (default: under the public URL); see docs/api.md
ROUNDS_SSO_ISSUER        the OpenID Connect provider learners may sign in with (hospital single
                         sign-on; off when empty), with ROUNDS_SSO_CLIENT_ID,
                         ROUNDS_SSO_CLIENT_SECRET (empty for a public client) and
                         ROUNDS_SSO_SCOPES (default: openid profile email); see docs/api.md
ROUNDS_LRS_URL           the organisation's LRS (xAPI base URL) that learners' statements go to
                         through /lrs/xapi/statements, with ROUNDS_LRS_USERNAME and
                         ROUNDS_LRS_PASSWORD, which only the server holds (off when empty);
                         `python -m reference_server` reads them too

A missing or bad variable stops the worker with one line on stderr and exit status 3, which
both uvicorn and gunicorn take as "failed to boot": they stop instead of restarting it. So does
a database whose schema is not at this server's newest revision, or has none yet: workers never
migrate (many would at once, mid-traffic); `python -m reference_server migrate` does, first.
The application is built when `app` is first read, so importing this module does nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from reference_server.app import create_app
from reference_server.backend import Backend
from reference_server.keys import KeyFileError, parse_cursor_keys, read_key_file
from reference_server.learner_identity import IdentityError, IdentitySettings, LearnerIdentity
from reference_server.lrs_proxy import UpstreamLrs, UpstreamLrsError
from reference_server.operations import configure_logging
from reference_server.schema import SchemaMismatch
from reference_server.sso_provider import SsoSettingError, SsoSettings

DATABASE_URL = "ROUNDS_DATABASE_URL"
DATA_DIR = "ROUNDS_DATA_DIR"
SIGNING_KEY_FILE = "ROUNDS_SIGNING_KEY_FILE"
CURSOR_KEY = "ROUNDS_CURSOR_KEY"
PUBLIC_URL = "ROUNDS_PUBLIC_URL"
STARTING_LOCK = ".starting.lock"
STARTUP_FAILURE = 3
"""uvicorn's and gunicorn's exit status for a worker that cannot boot (neither restarts it)."""


class ConfigurationError(ValueError):
    """An environment variable is missing or bad; the message is one sentence naming it."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    signing_key_file: Path | None
    public_url: str | None
    cursor_keys: tuple[bytes, ...] = ()


def settings_from(environ: Mapping[str, str]) -> Settings:
    """The server's settings from `environ`; raises ConfigurationError on the first bad one."""
    return Settings(
        database_url=_database_url(_required(environ, DATABASE_URL)),
        data_dir=_data_dir(_required(environ, DATA_DIR)),
        signing_key_file=_signing_key_file(environ.get(SIGNING_KEY_FILE, "").strip()),
        public_url=_public_url(environ.get(PUBLIC_URL, "").strip()),
        cursor_keys=_cursor_keys(environ.get(CURSOR_KEY, "")),
    )


def _required(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"{name} is not set.")
    return value


def _database_url(text: str) -> str:
    """The URL if SQLAlchemy can read it and has its driver (never echoed: it holds a password)."""
    try:
        make_url(text).get_dialect()
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as error:
        reason = type(error).__name__
        raise ConfigurationError(
            f"{DATABASE_URL} is not a usable database URL ({reason})."
        ) from None
    return text


def _data_dir(text: str) -> Path:
    folder = Path(text)
    if not folder.is_dir():
        raise ConfigurationError(f"{DATA_DIR} names no folder: {text}")
    return folder


def _signing_key_file(text: str) -> Path | None:
    if not text:
        return None
    path = Path(text)
    try:
        read_key_file(path)
    except OSError as error:
        raise ConfigurationError(
            f"{SIGNING_KEY_FILE} cannot be read: {text} ({error.strerror or error})."
        ) from None
    except KeyFileError as error:
        raise ConfigurationError(f"{SIGNING_KEY_FILE} {error}: {text}") from None
    return path


def _cursor_keys(text: str) -> tuple[bytes, ...]:
    """The keys, or none when unset (never echoed: they are secrets)."""
    if not text.strip():
        return ()
    try:
        return parse_cursor_keys(text)
    except KeyFileError as error:
        raise ConfigurationError(f"{CURSOR_KEY} {error}.") from None


def _public_url(text: str) -> str | None:
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{PUBLIC_URL} is not an http(s) URL: {text}")
    return text


def build_app(environ: Mapping[str, str]) -> FastAPI:
    """The application over the backend `environ` describes."""
    settings = settings_from(environ)
    try:
        with _one_worker_at_a_time(settings.data_dir):
            backend = Backend.open(
                settings.data_dir,
                settings.database_url,
                public_url=settings.public_url,
                badge_key=settings.signing_key_file,
                migrate=False,
                cursor_keys=settings.cursor_keys,
            )
    except SchemaMismatch as error:
        raise ConfigurationError(_not_migrated(error)) from None
    except SQLAlchemyError as error:
        reason = type(error).__name__
        raise ConfigurationError(
            f"The database in {DATABASE_URL} cannot be used ({reason})."
        ) from None
    identity = _identity(environ, backend)
    return create_app(backend, identity=identity, sso=_sso(environ), lrs_upstream=_lrs(environ))


def _lrs(environ: Mapping[str, str]) -> UpstreamLrs | None:
    try:
        return UpstreamLrs.from_environ(environ)
    except UpstreamLrsError as error:
        raise ConfigurationError(str(error)) from None


def _sso(environ: Mapping[str, str]) -> SsoSettings | None:
    try:
        return SsoSettings.from_environ(environ)
    except SsoSettingError as error:
        raise ConfigurationError(str(error)) from None


def _identity(environ: Mapping[str, str], backend: Backend) -> LearnerIdentity:
    try:
        settings = IdentitySettings.from_environ(environ)
    except IdentityError as error:
        raise ConfigurationError(str(error)) from None
    return LearnerIdentity.resolve(backend.home_page, backend.former_home_pages, settings)


def _not_migrated(mismatch: SchemaMismatch) -> str:
    return (
        f"The database is at revision {mismatch.current or 'none'}, not {mismatch.head}; run "
        f"`python -m reference_server migrate --database-url URL` first."
    )


@contextmanager
def _one_worker_at_a_time(data_dir: Path) -> Iterator[None]:
    """Workers on one host open the data folder in turn: on a first start the first one makes
    the keys and the server id, and the others find them made."""
    if sys.platform == "win32":
        yield
        return
    import fcntl

    with (data_dir / STARTING_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


_built: FastAPI | None = None


def __getattr__(name: str) -> FastAPI:
    """`app`, built once per process when a server first asks for it."""
    global _built
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _built is None:
        configure_logging()
        try:
            _built = build_app(os.environ)
        except ConfigurationError as error:
            print(f"Rounds reference server cannot start: {error}", file=sys.stderr, flush=True)
            raise SystemExit(STARTUP_FAILURE) from None
    return _built
