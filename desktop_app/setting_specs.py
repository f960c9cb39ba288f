"""Every setting the learner (or IT, through a machine policy) may change, declared once: how
it is entered, what it means, its bounds, whether a policy may lock it, and how an entered
value is checked. The type and default of each are those of its field in
`desktop_app.config.Settings`; the settings dialog builds its fields from these declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.text import Template, translate


class SettingKind:
    """How a setting is entered and checked (the settings dialog builds its editor from it)."""

    URL = "url"  # an http(s) address
    OPTIONAL_URL = "optional-url"  # an http(s) address, or empty
    PROXY_URL = "proxy-url"  # an http(s) or SOCKS proxy's address, or empty
    NUMBER = "number"  # a whole number between `minimum` and `maximum`
    FILE = "file"  # a path to an existing file, or empty
    CHOICE = "choice"  # one of `choices`
    TEXT = "text"
    SWITCH = "switch"  # on or off (true or false in a policy)


@dataclass(frozen=True)
class SettingSpec:
    """One setting as the learner and IT see it: its field in `Settings` (which holds its
    type and default), how it is entered, what it means, and whether a machine policy may
    lock it."""

    name: str
    kind: str
    description: Template
    lockable: bool = True
    minimum: int = 0
    maximum: int = 0
    step: int = 1
    unit: Template | None = None
    choices: tuple[tuple[str, Template], ...] = ()
    note: Template | None = None  # said beside the field


MINUTES = translate("settings", "minutes")
SETTING_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("server_url", SettingKind.URL, translate("settings", "Server")),
    SettingSpec(
        "sync_interval_minutes",
        SettingKind.NUMBER,
        translate("settings", "Sync every"),
        minimum=1,
        maximum=24 * 60,
        unit=MINUTES,
    ),
    SettingSpec(
        "request_deadline_seconds",
        SettingKind.NUMBER,
        translate("settings", "Give up on a network operation after"),
        minimum=10,
        maximum=3600,
        unit=translate("settings", "seconds"),
    ),
    SettingSpec(
        "ca_bundle",
        SettingKind.FILE,
        translate("settings", "Extra CA certificates"),
        note=translate(
            "settings", "A PEM file from IT, for a network that inspects secure traffic."
        ),
    ),
    SettingSpec(
        "proxy_url",
        SettingKind.PROXY_URL,
        translate("settings", "Proxy"),
        note=translate(
            "settings",
            "For example http://proxy.hospital.org:3128, or socks5h://proxy.hospital.org:1080 "
            "for a SOCKS proxy. Leave empty to use the proxy auto-config file below, else the "
            "system's proxy settings.",
        ),
    ),
    SettingSpec(
        "proxy_pac_url",
        SettingKind.OPTIONAL_URL,
        translate("settings", "Proxy auto-config file (PAC)"),
        note=translate(
            "settings",
            "The address of a .pac file from IT, which chooses the proxy for each server. "
            "Leave empty to use the system's proxy settings.",
        ),
    ),
    SettingSpec(
        "disk_floor_mb",
        SettingKind.NUMBER,
        translate("settings", "Keep free on the disk at least"),
        minimum=0,
        maximum=1_000_000,
        step=100,
        unit=translate("settings", "MB"),
    ),
    SettingSpec(
        "theme",
        SettingKind.CHOICE,
        translate("settings", "Theme"),
        lockable=False,  # high contrast is how some people can read at all
        choices=(
            ("system", translate("settings", "As the system")),
            ("light", translate("settings", "Light")),
            ("dark", translate("settings", "Dark")),
            ("high-contrast", translate("settings", "High contrast")),
        ),
    ),
    SettingSpec(
        "text_size_percent",
        SettingKind.NUMBER,
        translate("settings", "Text size"),
        lockable=False,  # large text is how some people can read at all
        minimum=100,
        maximum=200,
        step=10,
        unit=translate("settings", "%"),
    ),
    SettingSpec(
        "language",
        SettingKind.CHOICE,
        translate("settings", "Language"),
        choices=(
            ("system", translate("settings", "As the system")),
            ("en", translate("settings", "English")),
            ("es", translate("settings", "Español")),
        ),
        note=translate("settings", "A new language applies when Rounds starts again."),
    ),
    SettingSpec(
        "idle_lock_minutes",
        SettingKind.NUMBER,
        translate("settings", "Lock the window after"),
        minimum=0,
        maximum=24 * 60,
        unit=MINUTES,
        note=translate("settings", "Minutes without use; 0 never locks."),
    ),
    SettingSpec(
        "lrs_endpoint",
        SettingKind.OPTIONAL_URL,
        translate("settings", "Learning record store"),
        note=translate("settings", "Leave empty to send progress to the Rounds server."),
    ),
    SettingSpec(
        "lrs_username", SettingKind.TEXT, translate("settings", "Learning record store user")
    ),
    SettingSpec(
        "reconcile_every_syncs",
        SettingKind.NUMBER,
        translate("settings", "Check all progress again every"),
        minimum=1,
        maximum=1000,
        unit=translate("settings", "syncs"),
        note=translate(
            "settings",
            "Progress from other devices that a sync missed is found then, and always before "
            "signing out.",
        ),
    ),
    SettingSpec(
        "shared_content_dir",
        SettingKind.TEXT,
        translate("settings", "Shared content folder"),
        note=translate(
            "settings",
            "A read-only folder of course files, such as a network share, looked in before "
            "downloading. Leave empty for none.",
        ),
    ),
    SettingSpec(
        "allow_demo",
        SettingKind.SWITCH,
        translate("settings", "Allow the demo (rounds --demo)"),
        note=translate(
            "settings", "The demo starts a practice server on this computer with sample courses."
        ),
    ),
    SettingSpec(
        "residency_reminders",
        SettingKind.SWITCH,
        translate("settings", "Residency reminders"),
        note=translate(
            "settings",
            "The day before, when check-in opens and 10 minutes before each session you marked.",
        ),
    ),
    SettingSpec(
        "share_downloads",
        SettingKind.SWITCH,
        translate("settings", "Share downloads"),
        note=translate(
            "settings",
            "While the window is open, other Rounds on this network may copy your downloaded "
            "course files from this computer. Every copy is checked against the catalog.",
        ),
    ),
    SettingSpec(
        "fetch_from_peers",
        SettingKind.SWITCH,
        translate("settings", "Download from people nearby"),
        note=translate(
            "settings",
            "Look for other Rounds on this network that share their downloads, and copy "
            "course files from them before asking the server. Every copy is checked against "
            "the catalog.",
        ),
    ),
)


def spec_named(name: str) -> SettingSpec:
    return next(spec for spec in SETTING_SPECS if spec.name == name)


BAD_URL = translate("settings", "Enter an address that starts with http:// or https://.")
BAD_PROXY_URL = translate(
    "settings",
    "Enter an address that starts with http://, https://, socks5h://, socks5:// or socks4://.",
)
BAD_NUMBER = translate("settings", "Enter a whole number from {minimum} to {maximum}.")
NO_FILE = translate("settings", "No file is at this path.")
BAD_CHOICE = translate("settings", "Choose one of the listed values.")
BAD_SWITCH = translate("settings", "Choose on or off.")


class SettingError(ValueError):
    """A value that cannot be saved; its message is one sentence for beside the field."""


def checked_value(spec: SettingSpec, entered: object) -> Any:
    """`entered` as the value `spec` stores, or SettingError saying what is wrong."""
    if spec.kind == SettingKind.NUMBER:
        return _checked_number(spec, entered)
    if spec.kind == SettingKind.SWITCH:
        if not isinstance(entered, bool):
            raise SettingError(BAD_SWITCH)
        return entered
    text = str(entered).strip()
    if spec.kind == SettingKind.PROXY_URL and text:
        if not re.fullmatch(r"(https?|socks4a?|socks5h?)://[^\s/?#]+[^\s]*", text):
            raise SettingError(BAD_PROXY_URL)
        return text
    if spec.kind == SettingKind.URL or (spec.kind == SettingKind.OPTIONAL_URL and text):
        if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", text):
            raise SettingError(BAD_URL)
        return text.rstrip("/") if spec.kind == SettingKind.URL else text
    if spec.kind == SettingKind.FILE and text and not Path(text).expanduser().is_file():
        raise SettingError(NO_FILE)
    if spec.kind == SettingKind.CHOICE and text not in {value for value, _ in spec.choices}:
        raise SettingError(BAD_CHOICE)
    return text


def _checked_number(spec: SettingSpec, entered: object) -> int:
    try:
        number = int(str(entered).strip())
    except ValueError:
        number = spec.minimum - 1
    if not spec.minimum <= number <= spec.maximum:
        raise SettingError(BAD_NUMBER.format(minimum=spec.minimum, maximum=spec.maximum))
    return number
