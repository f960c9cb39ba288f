"""Fixtures for the residency tests: a clock that moves only when a test moves it."""

from __future__ import annotations

import pytest
from residency_samples import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
