"""The layers contract covers the whole client: every module of `desktop_app` sits in a layer.

import-linter checks the imports between the layers it is given; a new package that nobody
adds to the contract would be checked against nothing. This test names it.
"""

from __future__ import annotations

import pkgutil
import re
import tomllib
from pathlib import Path

import desktop_app

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
LAYERS_CONTRACT = "The client's layers, from the entry points down to the database"
NOT_CODE = {"migrations"}  # Alembic's scripts, run by desktop_app.db


def layered_modules() -> set[str]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["name"] == LAYERS_CONTRACT]
    return {name.strip("() ") for layer in layers for name in re.split(r"[|:]", layer)}


def modules_below(package: str, path: list[str]) -> set[str]:
    return {f"{package}.{info.name}" for info in pkgutil.iter_modules(path)}


def unplaced(module: str, path: list[str] | None, layered: set[str]) -> set[str]:
    """`module` if no layer names it or a parent; a package some layer splits is looked into."""
    if any(module == name or module.startswith(name + ".") for name in layered):
        return set()
    if path is None or not any(name.startswith(module + ".") for name in layered):
        return {module}
    children = modules_below(module, path)
    return {m for child in children for m in unplaced(child, _path_of(child), layered)}


def _path_of(module: str) -> list[str] | None:
    folder = Path(desktop_app.__file__).parent.joinpath(*module.split(".")[1:])
    return [str(folder)] if folder.is_dir() else None


def test_every_module_of_the_client_is_in_a_layer() -> None:
    layered = layered_modules()
    top = modules_below("desktop_app", list(desktop_app.__path__))
    missing = {
        module
        for child in top
        if child.split(".")[-1] not in NOT_CODE
        for module in unplaced(child, _path_of(child), layered)
    }
    assert missing == set(), f"add these to the layers contract in pyproject.toml: {missing}"


def test_every_layer_names_a_module_that_exists() -> None:
    for name in layered_modules():
        parts = name.split(".")[1:]
        folder = Path(desktop_app.__file__).parent.joinpath(*parts)
        assert folder.is_dir() or folder.with_suffix(".py").is_file(), name
