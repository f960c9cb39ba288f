"""Fixtures of the window tests."""

from __future__ import annotations

import pytest
from window_walk import SharedWalk


@pytest.fixture(scope="session")
def window_walk() -> SharedWalk:
    """The one walk of the window the page-by-page checks share (tests/views/window_walk.py)."""
    return SharedWalk()
