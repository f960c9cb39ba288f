"""The worker threads of the download queue.

Each worker claims the oldest queued file nobody else is fetching, fetches it with retries and
reports the outcome to the queue, which records it in memory and in SQLite. One file is fetched
by one worker at a time, so two courses asking for the same file never write the same partial
file at once. No failure of a file ends the thread: it fails or pauses that file, and the
worker takes the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from desktop_app.content_store import ContentStore
from desktop_app.downloads.fetch import AssetSource, BusyElsewhere, fetch_asset
from desktop_app.downloads.queue_core import QueueCore
from desktop_app.downloads.queue_state import LiveJob
from desktop_app.downloads.retry import (
    JobControl,
    Outcome,
    RetryPolicy,
    failed_unexpectedly,
    run_with_retries,
)

log = logging.getLogger(__name__)


class FileWorker:
    """The loop of one worker thread."""

    def __init__(
        self,
        core: QueueCore,
        store: ContentStore,
        source: AssetSource,
        retry: RetryPolicy,
        check_room: Callable[[LiveJob], None],
        emit: Callable[[bool], None],
    ) -> None:
        self._core, self._store, self._source, self._retry = core, store, source, retry
        self._check_room, self._emit = check_room, emit

    def run(self) -> None:
        while (claimed := self._core.claim()) is not None:
            self._take(*claimed)
            self._emit(False)

    def _take(self, job: LiveJob, control: JobControl) -> None:
        """Fetch one claimed file and record how it ended, whatever goes wrong on the way."""
        try:
            outcome = self._fetch(job, control)
        except Exception as error:  # a bug must not end the thread
            outcome = failed_unexpectedly(error)
        try:
            self._core.finish(job, control, outcome)
        except Exception:  # the file is released already; the next one may fare better
            log.exception("Could not record how the download of %s ended", job.sha256)

    def _fetch(self, job: LiveJob, control: JobControl) -> Outcome:
        self._emit(False)

        def attempt() -> None:
            self._check_room(job)
            try:
                fetch_asset(
                    self._source,
                    self._store,
                    job.sha256,
                    job.size,
                    should_stop=lambda: control.stopped,
                    on_bytes=lambda count: self._on_bytes(job, control, count),
                )
            except BusyElsewhere:
                self._core.wait_elsewhere(job)
                self._emit(False)
                raise

        return run_with_retries(
            attempt, control, self._retry, lambda: self._core.count_attempt(job)
        )

    def _on_bytes(self, job: LiveJob, control: JobControl, count: int) -> None:
        self._core.advance(job, control, count)
        self._emit(True)
