"""The README's table of policy keys is the declared settings (`desktop_app.setting_specs`):
a setting added, renamed, bounded differently or made lockable changes the table, or this test
fails and prints the table to paste."""

from __future__ import annotations

from pathlib import Path

from desktop_app.config import Settings
from desktop_app.setting_specs import SETTING_SPECS, SettingKind, SettingSpec

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- policy keys: tests/test_policy_readme.py -->", "<!-- end of policy keys -->"
KINDS = {
    SettingKind.URL: "an http(s) address",
    SettingKind.OPTIONAL_URL: "an http(s) address, or empty",
    SettingKind.PROXY_URL: "an http(s) or SOCKS address, or empty",
    SettingKind.FILE: "the path of a file, or empty",
    SettingKind.TEXT: "text",
    SettingKind.SWITCH: "`true` or `false`",
}


def policy_table() -> str:
    rows = [
        "| key | setting | value | default | lockable |",
        "|---|---|---|---|---|",
        *(_row(spec) for spec in SETTING_SPECS),
    ]
    return "\n".join(rows)


def _row(spec: SettingSpec) -> str:
    default = getattr(Settings(), spec.name)
    shown = f"`{default}`" if default != "" else "empty"
    lockable = "yes" if spec.lockable else "no (a default only)"
    return f"| `{spec.name}` | {spec.description} | {_value(spec)} | {shown} | {lockable} |"


def _value(spec: SettingSpec) -> str:
    if spec.kind == SettingKind.NUMBER:
        unit = f" {spec.unit}" if spec.unit else ""
        return f"a whole number, {spec.minimum}–{spec.maximum}{unit}"
    if spec.kind == SettingKind.CHOICE:
        return "one of " + ", ".join(f"`{value}`" for value, _label in spec.choices)
    return KINDS[spec.kind]


def readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def test_the_readme_lists_every_declared_setting_as_a_policy_key() -> None:
    assert readme_table() == policy_table(), "paste this table:\n" + policy_table()


def test_the_table_follows_the_declarations() -> None:
    table = policy_table()
    assert table.count("\n| `") == len(SETTING_SPECS)
    assert "| `text_size_percent` | Text size | a whole number, 100–200 % | `100` | no" in table
