"""What completes a lesson, as the player counts it and tells the learner; no Qt.

The lesson's files come as `desktop_app.downloads.LessonFiles`, built from the cache and the
download store.
"""

from __future__ import annotations

MEDIA_KINDS = ("video", "audio")

# The share of a media lesson that must be played for it to count as completed.
MEDIA_COMPLETION_SHARE = 0.9


def completion_rule(kind: str, pass_mark: float | None = None) -> str:
    """The completion rule as the learner reads it in the player's header."""
    if kind in MEDIA_KINDS:
        return f"Complete when {MEDIA_COMPLETION_SHARE:.0%} has been played"
    if kind == "reading":
        return "Complete when read to the end"
    if kind == "pdf":
        return "Complete when the last page is reached"
    if kind == "quiz":
        mark = "" if pass_mark is None else f" (pass mark {pass_mark:.0%})"
        return f"Complete when passed{mark}"
    return ""
