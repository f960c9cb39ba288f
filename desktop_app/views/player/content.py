"""What completes a lesson, in the words the player shows the learner; no Qt."""

from __future__ import annotations

from desktop_app.progress.coverage import MEDIA_COMPLETION_SHARE

MEDIA_KINDS = ("video", "audio")


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
