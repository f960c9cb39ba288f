"""Rounds' version: the one in pyproject.toml, read from the installed package's metadata."""

from __future__ import annotations

from importlib import metadata

from desktop_app.text import translate

DISTRIBUTION = "rounds"
DEVELOPMENT = translate("MainWindow", "development")


def rounds_version() -> str:
    """The installed version, or "development" (a translatable `Template`) in a checkout
    without package metadata."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return DEVELOPMENT
