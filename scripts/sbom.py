"""A CycloneDX 1.6 software bill of materials for the build, from requirements/run.lock.

Every locked package becomes a component with its name, version, package URL and the SHA-256
of each file pip may install for it (the lock's `--hash` lines); the lock's `# via` comments
give the dependency graph. `make dist` writes dist/rounds.cdx.json beside dist/rounds/.

    python scripts/sbom.py [--lock requirements/run.lock] [--out dist/rounds.cdx.json]

The time stamp is SOURCE_DATE_EPOCH's where that is set (a reproducible build), else now; the
serial number follows from the content, so the same lock gives the same BOM.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tomllib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC_VERSION = "1.6"
PROJECT = "rounds"

_REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")
_MARKER = re.compile(r";\s*(?P<marker>[^\\]+?)\s*\\?$")
_HASH = re.compile(r"--hash=sha256:(?P<digest>[0-9a-f]{64})")
_VIA = re.compile(r"^#\s+(?:via\s+)?(?P<names>.+)$")


@dataclass(frozen=True)
class Locked:
    """One package of the lock: pinned version, file hashes, platform marker, who needs it."""

    name: str
    version: str
    hashes: tuple[str, ...]
    marker: str
    needed_by: tuple[str, ...]

    @property
    def purl(self) -> str:
        return f"pkg:pypi/{normalized(self.name)}@{self.version}"


def normalized(name: str) -> str:
    """PEP 503's form of a package name, as package URLs use it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(text: str) -> list[Locked]:
    """The packages of a `pip-compile --generate-hashes` lock, in its order."""
    packages: list[Locked] = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.splitlines()[0] if block.strip() else ""
        found = _REQUIREMENT.match(first)
        if found is None:
            continue
        marker = _MARKER.search(first)
        packages.append(
            Locked(
                name=normalized(found["name"]),
                version=found["version"],
                hashes=tuple(_HASH.findall(block)),
                marker=marker["marker"].strip() if marker else "",
                needed_by=_needed_by(block),
            )
        )
    return packages


def _needed_by(block: str) -> tuple[str, ...]:
    names = []
    for line in block.splitlines()[1:]:
        found = _VIA.match(line.strip())
        if found is None or found["names"].strip() == "via":
            continue
        for name in found["names"].split(","):
            name = name.strip().split(" ")[0]
            if name and not name.startswith("-"):
                names.append(normalized(name))
    return tuple(names)


def project_version(pyproject: Path) -> str:
    with pyproject.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def build_time() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def bill_of_materials(packages: list[Locked], version: str, timestamp: str) -> dict[str, object]:
    root_ref = f"pkg:generic/{PROJECT}@{version}"
    refs = {package.name: package.purl for package in packages}
    body: dict[str, object] = {
        "metadata": {
            "timestamp": timestamp,
            "tools": {
                "components": [{"type": "application", "name": "scripts/sbom.py", "group": PROJECT}]
            },
            "component": {
                "type": "application",
                "bom-ref": root_ref,
                "name": PROJECT,
                "version": version,
                "purl": root_ref,
            },
        },
        "components": [_component(package) for package in packages],
        "dependencies": [
            {"ref": root_ref, "dependsOn": _direct(packages, refs)},
            *(
                {"ref": package.purl, "dependsOn": _depends_on(package.name, packages, refs)}
                for package in packages
            ),
        ],
    }
    content = json.dumps(body["components"], sort_keys=True) + version
    serial = uuid.uuid5(uuid.NAMESPACE_URL, f"{root_ref}#{content}")
    return {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        **body,
    }


def _component(package: Locked) -> dict[str, object]:
    component: dict[str, object] = {
        "type": "library",
        "bom-ref": package.purl,
        "name": package.name,
        "version": package.version,
        "purl": package.purl,
        "hashes": [{"alg": "SHA-256", "content": digest} for digest in package.hashes],
    }
    if package.marker:
        component["properties"] = [{"name": "python:environment-marker", "value": package.marker}]
    return component


def _direct(packages: list[Locked], refs: dict[str, str]) -> list[str]:
    return [refs[p.name] for p in packages if PROJECT in p.needed_by]


def _depends_on(name: str, packages: list[Locked], refs: dict[str, str]) -> list[str]:
    return [refs[p.name] for p in packages if name in p.needed_by]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements" / "run.lock")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "rounds.cdx.json")
    args = parser.parse_args(argv)
    packages = read_lock(args.lock.read_text(encoding="utf-8"))
    if not packages:
        print(f"sbom: no pinned packages in {args.lock}", file=sys.stderr)
        return 1
    bom = bill_of_materials(packages, project_version(args.pyproject), build_time())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(bom, indent=2) + "\n", encoding="utf-8")
    print(f"sbom: {len(packages)} packages -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
