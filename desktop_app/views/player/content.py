"""What the lesson player needs to show one lesson: local files only, no Qt.

The library builds a `LessonContent` from the cache and the download store; the player never
looks anywhere else for a lesson's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.progress import LessonRef

MEDIA_KINDS = ("video", "audio")

# The roles a lesson cannot be studied without. Captions and images are optional extras.
REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "video": ("media",),
    "audio": ("media",),
    "reading": ("body",),
    "pdf": ("document",),
    "quiz": (),
}

# The share of a media lesson that must be played for it to count as completed.
MEDIA_COMPLETION_SHARE = 0.9


@dataclass(frozen=True)
class LessonContent:
    """One lesson and its local files.

    files: role -> local file (`media`, `captions`, `body`, `document`).
    images: name a reading refers to (e.g. `figure.png`) -> local file.
    quiz: the quiz document of a quiz lesson (see docs/api.md), else None.
    missing: roles whose files are not downloaded yet.
    """

    ref: LessonRef
    files: dict[str, Path]
    images: dict[str, Path]
    quiz: dict[str, Any] | None = None
    missing: tuple[str, ...] = ()

    @property
    def missing_required(self) -> tuple[str, ...]:
        """The required roles with no usable local file."""
        return tuple(
            role
            for role in REQUIRED_ROLES.get(self.ref.kind, ())
            if role in self.missing or not self._exists(role)
        )

    def optional_file(self, role: str) -> Path | None:
        """The local file for an optional role (such as captions), if there is one."""
        return self.files[role] if role not in self.missing and self._exists(role) else None

    def _exists(self, role: str) -> bool:
        path = self.files.get(role)
        return path is not None and path.is_file()


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
