"""The Windows version resource of both executables, made from pyproject.toml's version.

Explorer's Properties → Details and IT inventory tools read it. build.spec writes one file
per executable into the build folder, in the `VSVersionInfo(...)` text PyInstaller reads
(its own classes need `pefile`, which only Windows builds install), and passes it on Windows.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

US_ENGLISH, UNICODE = 0x0409, 1200


def project_version(pyproject: Path) -> str:
    with pyproject.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows keeps: "1.2.3rc1" -> (1, 2, 3, 0)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]


def version_resource_text(version: str, file_name: str, description: str) -> str:
    numbers = numeric_version(version)
    strings = {
        "CompanyName": "Rounds",
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": file_name.removesuffix(".exe"),
        "OriginalFilename": file_name,
        "ProductName": "Rounds",
        "ProductVersion": version,
    }
    entries = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,\n"
        "    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        f"    StringFileInfo([StringTable('{US_ENGLISH:04x}{UNICODE:04x}', [\n{entries}])]),\n"
        f"    VarFileInfo([VarStruct('Translation', [{US_ENGLISH}, {UNICODE}])])\n"
        "  ]\n"
        ")\n"
    )


def write_version_resource(folder: Path, version: str, file_name: str, description: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_name.removesuffix('.exe')}-version.txt"
    path.write_text(version_resource_text(version, file_name, description), encoding="utf-8")
    return path
