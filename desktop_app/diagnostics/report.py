"""What a diagnostics file tells IT about this computer's Rounds, gathered without the network
and without writing anything: versions, the settings and policy in force, each account's
database check and last sync, disk space, and the proxy and TLS set-up."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import ssl
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from desktop_app.api.transport import build_ssl_context
from desktop_app.config import Settings, accounts_home, data_home, load_settings, machine_policy
from desktop_app.diagnostics.scrub import scrub_text, scrub_value
from desktop_app.policy import Policy, policy_path
from desktop_app.sqlite_read_only import connect_read_only
from desktop_app.sync.status import read_status
from desktop_app.version import rounds_version

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")
MB = 1024 * 1024


@dataclass(frozen=True)
class Section:
    """One heading of the report and its `name: value` lines."""

    title: str
    lines: tuple[tuple[str, str], ...]

    def text(self) -> str:
        width = max((len(name) for name, _ in self.lines), default=0)
        body = [f"  {name.ljust(width)}  {value}" for name, value in self.lines]
        return "\n".join([self.title, *body])


def gather() -> tuple[Section, ...]:
    """Every section of the report, in reading order."""
    settings, policy = load_settings(), machine_policy()
    return (
        versions(),
        settings_section(settings),
        policy_section(policy),
        *account_sections(),
        disk_section(settings),
        network_section(settings),
    )


def versions() -> Section:
    return Section(
        "Versions",
        (
            ("Rounds", str(rounds_version())),
            ("Qt", _qt_version()),
            ("Python", " ".join(sys.version.split())),
            ("Operating system", platform.platform()),
            ("Built bundle", "yes" if getattr(sys, "frozen", False) else "no"),
        ),
    )


def _qt_version() -> str:
    """Qt's version if this process loaded it; a headless command never does."""
    core = sys.modules.get("PySide6.QtCore")
    if core is None:
        return "not loaded"
    return f"{core.qVersion()} (PySide6 {sys.modules['PySide6'].__version__})"


def settings_section(settings: Settings) -> Section:
    values = asdict(settings)
    return Section(
        "Settings in force",
        tuple((name, repr(scrub_value(name, value))) for name, value in sorted(values.items())),
    )


def policy_section(policy: Policy) -> Section:
    lines = [("File", str(policy_path())), ("Read from", policy.source or "no policy")]
    lines += [(f"locked {k}", repr(scrub_value(k, v))) for k, v in sorted(policy.locked.items())]
    lines += [(f"default {k}", repr(scrub_value(k, v))) for k, v in sorted(policy.defaults.items())]
    lines += [("ignored", str(problem)) for problem in policy.problems]
    return Section("Machine policy", tuple(lines))


def account_sections() -> tuple[Section, ...]:
    """One section per account folder with a database."""
    databases = sorted(accounts_home().glob("*/rounds.sqlite3"))
    if not databases:
        return (Section("Accounts", (("databases", "none on this computer"),)),)
    return tuple(account_section(path) for path in databases)


def account_section(database: Path) -> Section:
    size = database.stat().st_size if database.exists() else 0
    return Section(
        f"Account {database.parent.name}",
        (
            ("Database", str(database)),
            ("Size", f"{size / MB:.1f} MB"),
            ("PRAGMA quick_check", quick_check(database)),
            ("Last sync", last_sync(database)),
        ),
    )


def quick_check(database: Path) -> str:
    """SQLite's quick_check, opened read-only: "ok", or what it found (first lines)."""
    try:
        connection = connect_read_only(database, timeout=2.0)
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check(20)")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        return f"could not be checked ({error})"
    return "; ".join(rows) or "no answer"


def last_sync(database: Path) -> str:
    """The cache's status as `status` prints it, read through a read-only connection."""
    engine = create_engine("sqlite://", creator=lambda: connect_read_only(database, timeout=2.0))
    try:
        with Session(engine) as session:
            return scrub_text(str(read_status(session)))
    except (SQLAlchemyError, sqlite3.Error) as error:
        return f"could not be read ({type(error).__name__}: {getattr(error, 'orig', error)})"
    finally:
        engine.dispose()


def disk_section(settings: Settings) -> Section:
    folder = data_home()
    existing = next((p for p in (folder, *folder.parents) if p.exists()), folder.anchor)
    try:
        usage = shutil.disk_usage(existing)
    except OSError as error:
        return Section("Disk", (("Data folder", str(folder)), ("Space", f"unknown ({error})")))
    return Section(
        "Disk",
        (
            ("Data folder", str(folder)),
            ("Free", f"{usage.free / MB:,.0f} MB of {usage.total / MB:,.0f} MB"),
            ("Kept free (disk_floor_mb)", f"{settings.disk_floor_mb:,} MB"),
        ),
    )


def network_section(settings: Settings) -> Section:
    proxy = scrub_text(settings.proxy_url) or "none set: the system's proxy settings"
    lines = [("Proxy setting", proxy)]
    lines += [("Proxy auto-config setting", scrub_text(settings.proxy_pac_url) or "none")]
    lines += [(name, scrub_text(value)) for name, value in _environment(PROXY_VARIABLES)]
    lines += [("Trust store", "the operating system's (truststore)")]
    lines += [("CA bundle setting", settings.ca_bundle or "none")]
    if settings.ca_bundle:
        lines.append(("CA bundle loads", ca_bundle_loads(settings.ca_bundle)))
    lines += list(_environment(CA_VARIABLES))
    lines.append(("OpenSSL", ssl.OPENSSL_VERSION))
    return Section("Network", tuple(lines))


def ca_bundle_loads(path: str) -> str:
    try:
        build_ssl_context(path)
    except Exception as error:  # any failure is the answer to report, whatever its kind
        return f"no: {' '.join(str(error).split())}"
    return "yes"


def _environment(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The variables that are set, upper or lower case, as requests reads them."""
    found: dict[tuple[str, str], str] = {}
    for name in names:
        for spelling in (name, name.lower()):
            value = os.environ.get(spelling)
            if value is not None:
                found.setdefault((name, value), spelling)  # Windows: one variable, any case
    return [(spelling, value) for (_name, value), spelling in found.items()]
