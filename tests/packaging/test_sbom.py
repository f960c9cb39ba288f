"""scripts/sbom.py: a CycloneDX 1.6 bill of materials holding every package of the run lock."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "run.lock"
SHA256 = re.compile(r"[0-9a-f]{64}")
PURL = re.compile(r"pkg:pypi/[a-z0-9-]+@[^@\s]+")


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sbom_script", ROOT / "scripts" / "sbom.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bom(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("sbom") / "rounds.cdx.json"
    made = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sbom.py"), "--out", str(out)],
        env={"SOURCE_DATE_EPOCH": "1767225600", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    return dict(json.loads(out.read_text(encoding="utf-8")))


def locked_packages() -> dict[str, tuple[str, set[str]]]:
    """name -> (version, hashes), read straight from the lock's text."""
    packages: dict[str, tuple[str, set[str]]] = {}
    name = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pinned = re.match(r"^([A-Za-z0-9][\w.-]*)==([^\s;\\]+)", line)
        if pinned:
            name = pinned[1].lower().replace("_", "-").replace(".", "-")
            packages[name] = (pinned[2], set())
        for digest in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
            packages[name][1].add(digest)
    return packages


def test_the_document_is_cyclonedx_1_6(bom: dict[str, Any]) -> None:
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", bom["serialNumber"])
    assert bom["version"] == 1
    assert bom["metadata"]["timestamp"] == "2026-01-01T00:00:00Z"
    root = bom["metadata"]["component"]
    assert root["type"] == "application" and root["name"] == "rounds"
    refs = [c["bom-ref"] for c in bom["components"]] + [root["bom-ref"]]
    assert len(refs) == len(set(refs)), "bom-refs are unique"
    for component in bom["components"]:
        assert component["type"] == "library"
        assert PURL.fullmatch(component["purl"]) and component["bom-ref"] == component["purl"]
        assert component["hashes"], component["name"]
        for entry in component["hashes"]:
            assert entry["alg"] == "SHA-256" and SHA256.fullmatch(entry["content"])
    for dependency in bom["dependencies"]:
        assert dependency["ref"] in refs
        assert set(dependency["dependsOn"]) <= set(refs)


def test_every_locked_package_is_in_it_with_its_version_and_hashes(bom: dict[str, Any]) -> None:
    components = {c["name"]: c for c in bom["components"]}
    locked = locked_packages()
    assert len(locked) > 20
    assert set(components) == set(locked)
    for name, (version, hashes) in locked.items():
        assert components[name]["version"] == version
        assert components[name]["purl"] == f"pkg:pypi/{name}@{version}"
        assert {h["content"] for h in components[name]["hashes"]} == hashes


def test_the_graph_follows_the_locks_via_comments(bom: dict[str, Any]) -> None:
    graph = {d["ref"]: d["dependsOn"] for d in bom["dependencies"]}
    root = graph[bom["metadata"]["component"]["bom-ref"]]
    assert any(ref.startswith("pkg:pypi/pyside6-essentials@") for ref in root)
    fastapi = next(ref for ref in graph if ref.startswith("pkg:pypi/fastapi@"))
    assert any(ref.startswith("pkg:pypi/starlette@") for ref in graph[fastapi])
    platform_only = [c for c in bom["components"] if c.get("properties")]
    assert any(c["name"] == "pywin32-ctypes" for c in platform_only)


def test_the_same_lock_gives_the_same_document(tmp_path: Path) -> None:
    script = load_script()
    packages = script.read_lock(LOCK.read_text(encoding="utf-8"))
    first = script.bill_of_materials(packages, "1.0.0", "2026-01-01T00:00:00Z")
    again = script.bill_of_materials(packages, "1.0.0", "2026-01-01T00:00:00Z")
    other = script.bill_of_materials(packages[1:], "1.0.0", "2026-01-01T00:00:00Z")
    assert first == again and first["serialNumber"] != other["serialNumber"]


def test_make_dist_writes_it_beside_the_build() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndist:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/sbom.py --out dist/rounds.cdx.json" in recipe
