"""Everything one signed-in account studies with, built once per sign-in.

The window (`gui/shell.py`) and the headless commands (`cli/`) both build a `Study`, so a sync
from either does the same work: pull the catalog and schedule, upload progress, pull progress
made on other devices, and send check-ins queued offline.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING

from desktop_app.account import Account
from desktop_app.api.errors import ApiError
from desktop_app.catalog.library import Library
from desktop_app.certificates.wallet import Wallet, completed_courses
from desktop_app.content_store import ContentStore
from desktop_app.downloads.manager import DownloadManager
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.sharing import Sharing
from desktop_app.progress.identity import FollowedIdentity
from desktop_app.progress.log import ProgressLog
from desktop_app.progress.overview import LearnerProgress
from desktop_app.progress.pending import Pending
from desktop_app.progress.queue import OutboxQueue
from desktop_app.progress.xapi import StatementBuilder
from desktop_app.residency.desk import ResidencyDesk
from desktop_app.residency.prerequisites import progress_completion
from desktop_app.residency.queries import ResidencyQueries, course_lesson_ids
from desktop_app.review import ReviewQueue
from desktop_app.sync.status import last_synced_at

if TYPE_CHECKING:
    from desktop_app.downloads.content import LessonFiles
    from desktop_app.downloads.storage import StorageService
    from desktop_app.progress.exchange import ProgressExchange
    from desktop_app.residency.checkin import CheckInService
    from desktop_app.sync.engine import AssetsReleased, ProgressCallback
    from desktop_app.sync.outbox import UploadSummary
    from desktop_app.sync.progress_round import ProgressRound
    from desktop_app.sync.reconciliation import ReconciliationSummary
    from desktop_app.sync.statements_pull import PullSummary
    from desktop_app.sync.summary import SyncSummary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StudySyncSummary:
    catalog: SyncSummary
    upload: UploadSummary | None
    pulled: PullSummary | None
    checkins_confirmed: int
    progress_error: str = ""
    reconciled: ReconciliationSummary | None = None

    @property
    def changed(self) -> bool:
        """Whether anything the learner sees may differ (new content, progress, check-ins)."""
        merged = self.pulled is not None and self.pulled.merged > 0
        merged = merged or (self.reconciled is not None and self.reconciled.merged > 0)
        return self.catalog.changed or merged or self.checkins_confirmed > 0

    def __str__(self) -> str:
        parts = [str(self.catalog)]
        if self.upload is not None:
            parts.append(f"progress: {self.upload}")
        if self.pulled is not None:
            parts.append(f"from other devices: {self.pulled}")
        if self.reconciled is not None:
            parts.append(str(self.reconciled))
        if self.checkins_confirmed:
            parts.append(f"{self.checkins_confirmed} check-in(s) confirmed")
        if self.progress_error:
            parts.append(f"progress not synced: {self.progress_error}")
        return "; ".join(parts)


class Study:
    """The account's progress (log, outbox queue, exchange), library, downloads, residencies
    and check-ins."""

    def __init__(self, account: Account, store: ContentStore) -> None:
        self.account, self.store = account, store
        self._actor = actor = account.actor
        activities, extensions = account.iri_bases
        self._named = FollowedIdentity(account.paths.root, partial(_named_now, account))
        self.progress = ProgressLog(  # follows renewals of how the server names the learner
            account.db, actor, activities, extensions_base=extensions, follow=self._named.builder
        )
        self.outbox_queue = OutboxQueue(account.db)
        self.library = Library(account.db, store, self.progress)
        completion = progress_completion(
            self.progress.course_state, partial(course_lesson_ids, account.db)
        )
        queries = ResidencyQueries(account.db, completion)
        self.residencies = ResidencyDesk(queries, lambda: self.checkins)
        self.learner = LearnerProgress(account.db, self.residencies.readiness)
        # Rounds nearby sharing their downloads (desktop_app.peers), asked only if chosen
        self.peers = PeerList(fetching=account.settings.fetch_from_peers)
        self.downloads = DownloadManager.for_settings(
            account.db, store, account.api, account.settings, peers=self.peers
        )
        server_id = account.paths.recorded().server_id or account.server_url
        self.sharing = Sharing(store, self.peers, server_id)
        self.certificates = Wallet(account.paths.root)
        self.review = ReviewQueue(self.progress)

    # Built the first time they are used: the window runs none of them until a check-in, the
    # Storage or Progress page, or a sync, so it does not load their modules.
    @cached_property
    def progress_exchange(self) -> ProgressExchange:
        from desktop_app.progress.exchange import ProgressExchange

        return ProgressExchange(self.account.db, self._actor, follow=self._named.actor)

    @cached_property
    def checkins(self) -> CheckInService:
        from desktop_app.residency.checkin import CheckInService

        return CheckInService(self.account.db, self.account.api.post_checkin)

    @cached_property
    def storage(self) -> StorageService:
        from desktop_app.downloads.storage import Storage, StorageService

        return StorageService(Storage(self.account.db, self.store), self.downloads)

    def sync(
        self,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        on_assets_released: AssetsReleased | None = None,
    ) -> StudySyncSummary:
        """Catalog and schedule first (raises ApiError if the server cannot be reached), then
        progress, check-ins and certificates, unless `cancel` was set. Files gone from the
        catalog are released here, or by `on_assets_released`."""
        released = on_assets_released or self.release_assets
        engine = self.account.sync_engine(on_assets_released=released)
        catalog = engine.run(progress=progress, cancel=cancel)
        if cancel is not None and cancel.is_set():  # the rest waits for the next sync
            return StudySyncSummary(catalog, None, None, 0)
        upload, pulled, error, reconciled = self._progress_round().run(cancel)
        confirmed = self.checkins.flush_confirmed()
        self._refresh_certificates()
        return StudySyncSummary(catalog, upload, pulled, confirmed, error, reconciled)

    def _refresh_certificates(self) -> None:
        """Certificates of the courses completed here, asked for once progress is up; one the
        server refused is asked for again once that could have changed (`certificates.refusals`)."""
        try:
            self.certificates.refresh(self.account.api, completed_courses(self.account.db))
        except ApiError as error:
            log.info("Certificates not refreshed: %s", error.message)

    def reconcile_before_sign_out(
        self, within: float | None = None
    ) -> ReconciliationSummary | None:
        """The learner's statements asked for again by course, whatever the count of syncs,
        for `within` seconds in all (by default `SIGN_OUT_SECONDS`; run off the UI thread);
        None if the LRS could not be asked or did not answer in time (the rest waits for the
        next sync)."""
        return self._progress_round().before_sign_out(within)

    def _progress_round(self) -> ProgressRound:
        from desktop_app.sync.progress_round import ProgressRound  # only a sync needs it

        account = self.account
        exchange, builder = self.progress_exchange, self.progress.builder
        return ProgressRound(
            account.db, account.settings, account.api, self.outbox_queue, exchange, builder
        )

    def pending(self) -> Pending:
        """The one count of what waits for upload (statements, imported ones, check-ins) that
        the status bar, the Progress page and sign-out all show."""
        return self.outbox_queue.pending()

    def last_synced_at(self) -> datetime | None:
        """When the cache was last brought up to date, so a new window does not say "never"."""
        with self.account.db.session() as session:
            return last_synced_at(session)

    def lesson_files(self, lesson_id: str) -> LessonFiles | None:
        """The lesson's downloaded files for the player; None if the lesson is not cached."""
        from desktop_app.downloads.content import lesson_files

        return lesson_files(self.account.db, self.store, lesson_id)

    def release_assets(self, digests: set[str]) -> None:
        removal = self.storage.release(digests)
        log.info("Released files of removed lessons: %s", removal)

    def close(self) -> None:
        self.sharing.close()
        self.downloads.close()


def _named_now(account: Account) -> StatementBuilder:
    """The builder of the learner as the account names them now (`FollowedIdentity`)."""
    return StatementBuilder(account.actor, *account.iri_bases)
