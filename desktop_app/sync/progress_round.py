"""Progress's part of a sync: upload what waits, pull what other devices sent, and reconcile
by course when it is due; and the reconciliation a sign-out asks for.

Loaded by the sync (`Study.sync`, in the window's sync process or a headless command), never
by an idle window.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.api.errors import ApiError
from desktop_app.progress import OutboxQueue, ProgressExchange
from desktop_app.progress.xapi import StatementBuilder
from desktop_app.sync.lrs import LrsConfig, statements_endpoint
from desktop_app.sync.outbox import Outbox, UploadSummary
from desktop_app.sync.reconciliation import (
    SIGN_OUT_SECONDS,
    Reconciliation,
    ReconciliationSummary,
    course_ids,
    registration_scopes,
)
from desktop_app.sync.statements_pull import PullSummary, StatementsPull

if TYPE_CHECKING:
    from desktop_app.api.client import ApiClient
    from desktop_app.api.xapi import StatementsEndpoint
    from desktop_app.config import Settings
    from desktop_app.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgressRound:
    """Statements between the cache and the account's LRS."""

    db: Database
    settings: Settings
    api: ApiClient
    outbox_queue: OutboxQueue
    exchange: ProgressExchange
    builder: StatementBuilder

    def run(
        self, cancel: threading.Event | None
    ) -> tuple[UploadSummary | None, PullSummary | None, str, ReconciliationSummary | None]:
        """(upload, pull, why progress was not synced or "", reconciliation if one ran)."""
        try:
            endpoint = self._endpoint()
        except ApiError as error:
            return None, None, error.message, None
        try:
            upload = Outbox(self.outbox_queue, endpoint).upload(cancel)
            pulled = StatementsPull(self.exchange, endpoint).run(cancel)
            reconciled = self._reconciled(endpoint, cancel, every_sync=False)
        except ApiError as error:
            log.info("Progress pull failed: %s", error.message)
            return None, None, error.message, None
        finally:
            endpoint.close()
        return upload, pulled, "", reconciled

    def before_sign_out(self, within: float | None = None) -> ReconciliationSummary | None:
        """See `Study.reconcile_before_sign_out`."""
        try:
            endpoint = self._endpoint()
        except ApiError as error:
            log.info("No reconciliation before sign-out: %s", error.message)
            return None
        endpoint.finish_by(SIGN_OUT_SECONDS if within is None else within)
        try:
            return self._reconciled(endpoint, None, every_sync=True)
        finally:
            endpoint.close()

    def _reconciled(
        self, endpoint: StatementsEndpoint, cancel: threading.Event | None, *, every_sync: bool
    ) -> ReconciliationSummary | None:
        """A reconciliation round if due (or now, `every_sync`); an LRS that fails it leaves
        the sync's upload and pull as they are and the round for the next sync."""
        with self.db.session() as session:
            courses = course_ids(session)
        scopes = registration_scopes(self.builder, courses)
        every = max(1, self.settings.reconcile_every_syncs)
        reconciliation = Reconciliation(self.exchange, endpoint, scopes, every=every)
        try:
            if every_sync:
                return reconciliation.before_sign_out()
            return reconciliation.after_sync(cancel)
        except ApiError as error:
            log.info("Reconciliation stopped: %s", error.message)
            return None

    def _endpoint(self) -> StatementsEndpoint:
        return statements_endpoint(LrsConfig.from_settings(self.settings), self.api)
