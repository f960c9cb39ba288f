"""The machine policy: settings IT sets for every user of a computer, and may lock.

Read at every start from one JSON file, `/etc/rounds/policy.json` (Linux and macOS) or
`%ProgramData%\\Rounds\\policy.json` (Windows), or the file named by `ROUNDS_POLICY`. Each key is
a declared setting (`desktop_app.setting_specs`):

    {
      "server_url": {"value": "https://learning.hospital.example", "locked": true},
      "sync_interval_minutes": 30
    }

A plain value is a default: it replaces the declared default and the user may change it. An
object `{"value": ..., "locked": true}` locks the setting: it wins over the user's settings and
the settings dialog shows it disabled. On Windows, values under the registry key
`HKLM\\Software\\Policies\\Rounds` are locked too, and those under its `Defaults` subkey are
defaults (a string is a REG_SZ, a number a REG_DWORD); the registry wins over the file.

A policy that locks `proxy_url` or `proxy_pac_url` locks both. A boolean setting is `true` or
`false` in the file, a REG_DWORD 0 or 1 in the registry.

An unknown key, a value of the wrong type or out of bounds, a lock on a setting that may not be
locked, or a file that cannot be read or parsed: one log line each (once per start), and the
rest applies.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.setting_specs import (
    SETTING_SPECS,
    SettingError,
    SettingKind,
    checked_value,
    spec_named,
)
from desktop_app.text import Message, Template, translate

log = logging.getLogger(__name__)

POLICY_VARIABLE = "ROUNDS_POLICY"
REGISTRY_KEY = r"Software\Policies\Rounds"

UNREADABLE = translate("policy", "The policy file {path} could not be read ({reason}).")
NOT_AN_OBJECT = translate("policy", "The policy file {path} does not hold a JSON object.")
UNKNOWN_KEY = translate("policy", "The policy names {key}, which is not a setting of Rounds.")
NOT_A_NUMBER = translate("policy", "The policy's value for {key} is not a whole number.")
NOT_TEXT = translate("policy", "The policy's value for {key} is not text.")
NOT_A_SWITCH = translate("policy", "The policy's value for {key} is not true or false.")
DEMO_NOT_ALLOWED = translate(
    "policy",
    "Your organisation does not allow the demo on this computer; start Rounds without --demo.",
)
PROXY_KEYS = ("proxy_url", "proxy_pac_url")
BAD_VALUE = translate("policy", "The policy's value for {key} is refused: {reason}")
NOT_LOCKABLE = translate(
    "policy", "The policy locks {key}, which only the user may choose; it applies as a default."
)
BAD_ENTRY = translate("policy", "The policy's entry for {key} has no value; it is ignored.")


@dataclass(frozen=True)
class Policy:
    """What a machine policy sets: `defaults` before the user's settings, `locked` after them,
    and a sentence for each entry that was ignored."""

    source: str = ""  # where it was read from, "" when there is none
    defaults: Mapping[str, Any] = field(default_factory=dict)
    locked: Mapping[str, Any] = field(default_factory=dict)
    problems: tuple[Message, ...] = ()


def policy_path() -> Path:
    """The policy file of this computer (it need not exist)."""
    override = os.environ.get(POLICY_VARIABLE)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(program_data) / "Rounds" / "policy.json"
    return Path("/etc/rounds/policy.json")


def read_policy(defaults: object) -> Policy:
    """The policy in force. `defaults` is the `Settings` of declared defaults, whose fields
    give each setting's type. The registry is read only on Windows without `ROUNDS_POLICY`."""
    path = policy_path()
    document, problems = _read_document(path)
    policy = parse_policy(document, defaults, str(path) if document else "")
    if sys.platform == "win32" and not os.environ.get(POLICY_VARIABLE):
        policy = _merged(policy, parse_policy(_registry_document(), defaults, "registry"))
    policy = Policy(policy.source, policy.defaults, policy.locked, problems + policy.problems)
    _log_once(path, policy.problems)
    return policy


def parse_policy(document: Mapping[str, object], defaults: object, source: str = "") -> Policy:
    """The defaults and locks of `document` (already parsed JSON); see the module's doc."""
    given: dict[str, Any] = {}
    locked: dict[str, Any] = {}
    problems: list[Message] = []
    for key, entry in document.items():
        value, lock = _unwrapped(entry)
        problem = _problem(key, entry, value, lock, defaults)
        if problem is not None:
            problems.append(problem)
            if problem.template != NOT_LOCKABLE:
                continue
            lock = False
        (locked if lock else given)[key] = checked_value(spec_named(key), value)
    _proxies_locked_together(given, locked)
    return Policy(source, given, locked, tuple(problems))


def _unwrapped(entry: object) -> tuple[object, bool]:
    if isinstance(entry, dict):
        return entry.get("value"), entry.get("locked") is True
    return entry, False


def _problem(
    key: str, entry: object, value: object, lock: bool, defaults: object
) -> Message | None:
    """Why `entry` cannot apply, or None. NOT_LOCKABLE: it applies, as a default."""
    if key not in {spec.name for spec in SETTING_SPECS}:
        return UNKNOWN_KEY.format(key=key)
    if isinstance(entry, dict) and "value" not in entry:
        return BAD_ENTRY.format(key=key)
    default = getattr(defaults, key)
    if type(value) is not type(default):
        return _wrong_type(default).format(key=key)
    try:
        checked_value(spec_named(key), value)
    except SettingError as error:
        return BAD_VALUE.format(key=key, reason=error.args[0])
    if lock and not spec_named(key).lockable:
        return NOT_LOCKABLE.format(key=key)
    return None


def _wrong_type(default: object) -> Template:
    """What a value of the wrong type should have been, by the type of the default."""
    if isinstance(default, bool):
        return NOT_A_SWITCH
    return NOT_A_NUMBER if isinstance(default, int) else NOT_TEXT


def _proxies_locked_together(given: dict[str, Any], locked: dict[str, Any]) -> None:
    """A policy that locks the proxy or the PAC file locks both (the other as the policy gives
    it, else empty): a user's own proxy must not override the organisation's PAC file."""
    if any(key in locked for key in PROXY_KEYS):
        for key in PROXY_KEYS:
            locked.setdefault(key, given.pop(key, ""))


class NotAllowedError(Exception):
    """Something the machine policy does not allow; its message is one sentence."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def require_demo_allowed(settings: object) -> None:
    """NotAllowedError if the settings in force (a `Settings`) switch the demo off."""
    if not getattr(settings, "allow_demo", True):
        raise NotAllowedError(DEMO_NOT_ALLOWED.format())


def _read_document(path: Path) -> tuple[dict[str, object], tuple[Message, ...]]:
    """The file's JSON object, or {} (no file is no problem; a broken one is)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, ()
    except (OSError, ValueError) as error:
        return {}, (UNREADABLE.format(path=str(path), reason=_reason(error)),)
    if not isinstance(document, dict):
        return {}, (NOT_AN_OBJECT.format(path=str(path)),)
    return document, ()


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    return " ".join(str(error).split())


def _merged(base: Policy, over: Policy) -> Policy:
    """`over` wins, setting by setting; a setting it locks is no longer a default of `base`."""
    if not over.source:
        return Policy(base.source, base.defaults, base.locked, base.problems + over.problems)
    locked = {**base.locked, **over.locked}
    given = {k: v for k, v in {**base.defaults, **over.defaults}.items() if k not in locked}
    source = " + ".join(s for s in (base.source, over.source) if s)
    return Policy(source, given, locked, base.problems + over.problems)


def _registry_document() -> dict[str, object]:
    """The registry's policy as a policy document: values locked, `Defaults` ones not."""
    defaults = _switches_as_booleans(_registry_values(REGISTRY_KEY + r"\Defaults"))
    locked = _switches_as_booleans(_registry_values(REGISTRY_KEY))
    return {**defaults, **{name: {"value": data, "locked": True} for name, data in locked.items()}}


def _switches_as_booleans(values: dict[str, object]) -> dict[str, object]:
    """A switch in the registry is a REG_DWORD, 0 or 1."""
    switches = {spec.name for spec in SETTING_SPECS if spec.kind == SettingKind.SWITCH}
    return {
        name: bool(data) if name in switches and data in (0, 1) else data
        for name, data in values.items()
    }


def _registry_values(subkey: str) -> dict[str, object]:
    """The values under HKEY_LOCAL_MACHINE\\`subkey`, by name; {} without the key."""
    if sys.platform != "win32":
        return {}
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, subkey) as key:
            entries = (winreg.EnumValue(key, index) for index in range(winreg.QueryInfoKey(key)[1]))
            return {name: data for name, data, _type in entries}
    except OSError:
        return {}


_logged: set[tuple[str, str]] = set()


def _log_once(path: Path, problems: tuple[Message, ...]) -> None:
    """Each problem once per start, though the settings are read many times; a read before
    the log file is set up (the window's first) does not count, so the file gets it too."""
    for problem in problems:
        if (str(path), problem) not in _logged:
            if log.hasHandlers():
                _logged.add((str(path), problem))
            log.warning("%s", problem)
