"""The Windows side, checked from here: the version resource build.spec writes, and the Inno
Setup script's references to the build (Windows builds the installer; see
packaging/windows/README.md)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ROOT / "packaging" / "windows"
ISS = WINDOWS / "rounds.iss"
STRUCTURES = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct")
STRUCTURES += ("VarFileInfo", "VarStruct")


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


@pytest.fixture
def version_info(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(WINDOWS))
    monkeypatch.delitem(sys.modules, "version_info", raising=False)
    import version_info

    return version_info


def read_structure(text: str) -> dict[str, Any]:
    """The `VSVersionInfo(...)` text as nested dicts, read by the grammar PyInstaller evaluates
    (calls of its structure classes with literal arguments) and nothing else."""

    def value(node: ast.expr) -> Any:
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in STRUCTURES, ast.dump(node)
            return {
                "type": node.func.id,
                "args": [value(arg) for arg in node.args],
                **{str(k.arg): value(k.value) for k in node.keywords},
            }
        if isinstance(node, ast.List | ast.Tuple):
            return [value(item) for item in node.elts]
        return ast.literal_eval(node)

    return dict(value(ast.parse(text, mode="eval").body))


def test_the_version_resource_carries_pyprojects_version(version_info: Any) -> None:
    text = version_info.version_resource_text(project_version(), "rounds-cli.exe", "Rounds CLI")
    info = read_structure(text)
    numbers = [*map(int, project_version().split(".")[:3]), 0]
    fixed = info["ffi"]
    assert fixed["filevers"] == numbers and fixed["prodvers"] == numbers
    strings = {s["args"][0]: s["args"][1] for s in info["kids"][0]["args"][0][0]["args"][1]}
    assert strings["ProductVersion"] == strings["FileVersion"] == project_version()
    assert strings["OriginalFilename"] == "rounds-cli.exe"
    assert strings["InternalName"] == "rounds-cli"


def test_windows_keeps_four_numbers_of_any_version(version_info: Any) -> None:
    assert version_info.numeric_version("2.10.3rc1+local.5") == (2, 10, 3, 0)
    assert version_info.numeric_version("7") == (7, 0, 0, 0)


def test_the_installer_takes_everything_from_the_build() -> None:
    """Every file [Files]/[Icons]/[Run] names is in the Windows build of build.spec (the Linux
    build's layout with `.exe` names), or in the source tree."""
    script = ISS.read_text(encoding="utf-8")
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    executables = set(re.findall(r'executable\("([\w-]+)"', spec))
    assert executables == {"rounds", "rounds-cli"}
    named = set(re.findall(r"\{app\}\\([\w.-]+)", script))
    assert named, "the script names no installed file"
    assert named <= {f"{name}.exe" for name in executables} | {"_internal"}
    assert r'Source: "{#DistDir}\*"' in script
    assert re.search(r"recursesubdirs", script)
    icon = re.search(r"SetupIconFile=\{#SourceDir\}\\(.+)", script)
    assert icon is not None and (ROOT / icon[1].replace("\\", "/")).is_file()


def test_the_installer_is_per_machine_with_the_version_it_is_given() -> None:
    script = ISS.read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", script, re.MULTILINE))
    assert settings["PrivilegesRequired"] == "admin"
    assert settings["DefaultDirName"] == r"{autopf}\Rounds"
    assert settings["AppVersion"] == settings["VersionInfoVersion"] == "{#AppVersion}"
    assert "#error" in script.split("#ifndef AppVersion", 1)[1].split("#endif", 1)[0]
    readme = (WINDOWS / "README.md").read_text(encoding="utf-8")
    assert "/DAppVersion=" in readme and "/VERYSILENT" in readme
