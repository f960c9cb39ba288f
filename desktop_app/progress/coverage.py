"""How much of a media lesson has actually been played, and how much completes it. No Qt."""

from __future__ import annotations

# The share of a media lesson that must be played for it to count as completed.
MEDIA_COMPLETION_SHARE = 0.9


class PlayedCoverage:
    """The union of the stretches of media played in this session, in seconds.

    A stretch grows while playback moves forward; a seek starts a new stretch, so jumping
    ahead does not count as having played what was skipped.
    """

    def __init__(self) -> None:
        self._spans: list[tuple[float, float]] = []
        self._last: float | None = None

    def jumped_to(self, position: float) -> None:
        """Playback continues from `position` after a seek (or a restart)."""
        self._last = position

    def played_to(self, position: float, max_step: float) -> None:
        """Playback reached `position`; a forward step longer than `max_step` is a jump."""
        last, self._last = self._last, position
        if last is None or not 0.0 < position - last <= max_step:
            return
        self._add(last, position)

    def seconds(self) -> float:
        return sum(end - start for start, end in self._spans)

    def _add(self, start: float, end: float) -> None:
        spans = [*self._spans, (start, end)]
        spans.sort()
        merged: list[tuple[float, float]] = [spans[0]]
        for span_start, span_end in spans[1:]:
            last_start, last_end = merged[-1]
            if span_start <= last_end:
                merged[-1] = (last_start, max(last_end, span_end))
            else:
                merged.append((span_start, span_end))
        self._spans = merged
