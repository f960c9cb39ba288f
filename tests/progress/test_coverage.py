"""How much of a media lesson was played: stretches played count, jumps and replays do not."""

from __future__ import annotations

import pytest

from desktop_app.progress.coverage import PlayedCoverage


def test_played_coverage_counts_only_stretches_played() -> None:
    coverage = PlayedCoverage()
    coverage.jumped_to(0.0)
    for second in (0.5, 1.0, 1.5, 2.0):
        coverage.played_to(second, max_step=1.0)
    coverage.played_to(8.0, max_step=1.0)  # a jump, not playback
    coverage.played_to(8.5, max_step=1.0)
    coverage.jumped_to(1.0)
    coverage.played_to(1.8, max_step=1.0)  # replayed: already counted
    assert coverage.seconds() == pytest.approx(2.5)
