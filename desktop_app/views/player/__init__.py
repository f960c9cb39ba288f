"""The lesson player: video, audio, reading, PDF and quiz lessons, offline, from local files."""

from desktop_app.views.player.player import LessonPlayer

__all__ = ["LessonPlayer"]
