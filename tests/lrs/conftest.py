"""Learning Locker, one for each test module of this folder that asks for `lrs`
(test_two_lrs.py has its own `lrs`: Learning Locker, then ralph)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from loopback_service import running

from .learning_locker import THIRD_PARTY, LearningLocker


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LearningLocker]:
    workdir = tmp_path_factory.mktemp("learning-locker")
    with running(LearningLocker.start, workdir, THIRD_PARTY) as service:
        yield service
