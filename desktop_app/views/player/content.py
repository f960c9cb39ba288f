"""What completes a lesson, in the words the player shows the learner; no Qt."""

from __future__ import annotations

from desktop_app.progress.coverage import MEDIA_COMPLETION_SHARE
from desktop_app.text import translate

MEDIA_KINDS = ("video", "audio")
MEDIA_RULE = translate("LessonHeader", "Complete when {percent}% has been played")
READING_RULE = translate("LessonHeader", "Complete when read to the end")
PDF_RULE = translate("LessonHeader", "Complete when the last page is reached")
QUIZ_RULE = translate("LessonHeader", "Complete when passed")
QUIZ_MARK_RULE = translate("LessonHeader", "Complete when passed (pass mark {percent}%)")


def completion_rule(kind: str, pass_mark: float | None = None) -> str:
    """The completion rule as the learner reads it in the player's header (a `Message` the
    header translates)."""
    if kind in MEDIA_KINDS:
        return MEDIA_RULE.format(percent=round(MEDIA_COMPLETION_SHARE * 100))
    if kind == "reading":
        return READING_RULE.format()
    if kind == "pdf":
        return PDF_RULE.format()
    if kind == "quiz" and pass_mark is not None:
        return QUIZ_MARK_RULE.format(percent=round(pass_mark * 100))
    if kind == "quiz":
        return QUIZ_RULE.format()
    return ""
