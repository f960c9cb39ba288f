"""The worker threads of the download queue.

Each worker claims the oldest queued file nobody else is fetching, fetches it with retries and
reports the outcome to the queue, which records it in memory and in SQLite. One file is fetched
by one worker at a time, so two courses asking for the same file never write the same partial
file at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from desktop_app.content_store import ContentStore
from desktop_app.downloads.fetch import AssetSource, fetch_asset
from desktop_app.downloads.queue_core import QueueCore
from desktop_app.downloads.queue_state import LiveJob
from desktop_app.downloads.retry import FAILED, JobControl, Outcome, RetryPolicy, run_with_retries

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
            job, control = claimed
            try:
                outcome = self._fetch(job, control)
            except Exception as error:  # a bug must not end the thread silently
                log.exception("Download of %s failed unexpectedly", job.sha256)
                outcome = Outcome(FAILED, f"Unexpected error: {error}")
            self._core.finish(job, control, outcome)
            self._emit(False)

    def _fetch(self, job: LiveJob, control: JobControl) -> Outcome:
        self._emit(False)

        def attempt() -> None:
            self._check_room(job)
            fetch_asset(
                self._source,
                self._store,
                job.sha256,
                job.size,
                should_stop=lambda: control.stopped,
                on_bytes=lambda count: self._on_bytes(job, control, count),
            )

        return run_with_retries(
            attempt, control, self._retry, lambda: self._core.count_attempt(job)
        )

    def _on_bytes(self, job: LiveJob, control: JobControl, count: int) -> None:
        self._core.advance(job, control, count)
        self._emit(True)
