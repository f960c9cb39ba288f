"""The search box's queries, run off the UI thread, newest text first; and the lesson hits.

Typing is not debounced: each search kind has at most one query on a worker. Text typed while
it runs waits, and the running query, no longer wanted, is abandoned at SQLite's next check,
so the newest text starts within milliseconds. Results arrive on the UI thread and are shown
only if their text is still the newest: an older text never replaces a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt

from desktop_app.catalog.search import LessonHit, excerpt_parts, plain_excerpt
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.catalog.two_line import SECONDARY_ROLE
from desktop_app.views.row_list import RowListModel

Query = Callable[[str, Callable[[], bool]], Any]


class LatestOnly:
    """One kind of search, run in the background for the newest text only."""

    def __init__(
        self,
        runner: BackgroundRunner,
        query: Query,
        show: Callable[[str, Any], None],
        fail: Callable[[Exception], None],
    ) -> None:
        self._runner, self._query, self._show, self._fail = runner, query, show, fail
        self.wanted: str | None = None
        self._running = False

    def ask(self, text: str) -> None:
        self.wanted = text
        if not self._running:
            self._start(text)

    def forget(self) -> None:
        """No text is wanted: a query still running is abandoned and its result dropped."""
        self.wanted = None

    def _start(self, text: str) -> None:
        self._running = True
        self._runner.run(
            lambda: self._query(text, lambda: self.wanted == text),
            partial(self._done, text),
            partial(self._failed, text),
            serial=False,
        )

    def _done(self, text: str, result: Any) -> None:
        self._running = False
        if text == self.wanted and result is not None:
            self._show(text, result)
        elif self.wanted is not None:  # newer text, or this one again after it was abandoned
            self._start(self.wanted)

    def _failed(self, text: str, error: Exception) -> None:
        self._running = False
        if text == self.wanted:
            self._fail(error)
        elif self.wanted is not None:
            self._start(self.wanted)


class LessonHitModel(RowListModel[LessonHit]):
    """One row per lesson hit: its title and course, then the matching words of its summary,
    those words in bold."""

    def row_data(self, row: LessonHit, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.title}  ·  {row.course_title}"
        if role == SECONDARY_ROLE:
            return excerpt_parts(row.excerpt) or [("", False)]  # two lines, as every hit
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.title}, {row.course_title}. {plain_excerpt(row.excerpt)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{row.course_title}\n\n{plain_excerpt(row.excerpt)}"
        return None
