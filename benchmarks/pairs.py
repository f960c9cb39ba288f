"""Ours and a peer measured in the same run, alternating A B A B, summarised by medians."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.table import Figure


@dataclass(frozen=True)
class Pairs:
    """One value per side per round; round n of `ours` ran right after round n of `peer`."""

    ours: list[float]
    peer: list[float]

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def peer_median(self) -> float:
        return statistics.median(self.peer)

    def ratio_range(self) -> tuple[float, float]:
        """The least and greatest ratio of one round's ours to the same round's peer."""
        ratios = [o / p for o, p in zip(self.ours, self.peer, strict=True) if p]
        return (min(ratios), max(ratios)) if ratios else (float("inf"), float("inf"))


def alternate(ours: Callable[[int], float], peer: Callable[[int], float], rounds: int) -> Pairs:
    """Runs peer(n) then ours(n) for n in range(rounds), so that drift hits both sides alike."""
    pairs = Pairs([], [])
    for n in range(rounds):
        pairs.peer.append(peer(n))
        pairs.ours.append(ours(n))
    return pairs


def paired_figure(
    name: str,
    pairs: Pairs,
    unit: str,
    target: float | None,
    *,
    higher_is_better: bool = False,
    note: str = "",
) -> Figure:
    """A table row from alternating rounds: the two medians and the range of round ratios."""
    low, high = pairs.ratio_range()
    rounds = f"median of {len(pairs.ours)} alternating rounds"
    return Figure(
        name,
        pairs.ours_median,
        pairs.peer_median,
        unit,
        target,
        higher_is_better=higher_is_better,
        note=f"{note}; {rounds}" if note else rounds,
        ratio_range=(low, high),
    )
