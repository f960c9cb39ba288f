"""Sign-out's reconciliation is bounded in all, not per page: an LRS whose every page comes
just under the request deadline (a hanging network, here a middlebox on loopback holding each
reply) is given up on once sign-out's time is over. What it had not reached is asked for at the
next sync, the learner is told so in one sentence, and statements still queued stay queued."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_proxy import FaultProxy, Page
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.progress import LessonRef
from desktop_app.study import Study
from desktop_app.sync.reconciliation import UNCHECKED_AT_SIGN_OUT, sign_out_note
from reference_server.server import ReferenceServer

WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")
HELD = 0.8  # each reply, well under the request deadline
WITHIN = 1.2  # sign-out's time in all: one page, not two


class SlowStatements:
    """Holds each reply to a statements query for `held` seconds, as a hanging network does,
    or until released."""

    def __init__(self, held: float = HELD) -> None:
        self.asked = 0
        self.held = held
        self.released = threading.Event()

    def __call__(self, method: str, path: str, body: bytes) -> Page | None:
        if method == "GET" and path.endswith("/statements"):
            self.asked += 1
            self.released.wait(self.held)
        return None


@pytest.fixture
def study(curriculum_data: Path, tmp_path: Path) -> Iterator[tuple[Study, FaultProxy]]:
    with ReferenceServer(curriculum_data) as server:
        proxy = FaultProxy(server.url).start()
        try:
            account = Account.sign_in(proxy.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
            opened = Study(account, ContentStore(tmp_path / "content"))
            yield opened, proxy
            opened.close()
            account.close()
        finally:
            proxy.stop()


def test_sign_out_gives_up_on_a_slow_lrs_in_time_and_loses_nothing(
    study: tuple[Study, FaultProxy],
) -> None:
    opened, proxy = study
    assert opened.sync().progress_error == ""  # the catalog's three courses: three scopes
    with opened.account.db.session() as session:
        opened.progress.completed(session, WELCOME)  # made after the sync: still queued
    proxy.rule = slow = SlowStatements()

    summary = opened.reconcile_before_sign_out(within=WITHIN)

    assert summary is None and slow.asked == 2  # the second page was given up on
    assert sign_out_note(summary) == UNCHECKED_AT_SIGN_OUT
    assert opened.pending().statements == 1

    proxy.rule = lambda method, path, body: None
    after = opened.sync()  # the next sync goes on with the scopes not reached
    assert after.reconciled is not None and after.reconciled.complete
    assert after.reconciled.scopes == 2 and after.upload is not None
    assert opened.pending().empty


def test_a_reconciliation_that_finishes_says_nothing_at_sign_out(
    study: tuple[Study, FaultProxy],
) -> None:
    opened, _ = study
    assert opened.sync().progress_error == ""
    summary = opened.reconcile_before_sign_out(within=WITHIN)
    assert summary is not None and summary.complete and sign_out_note(summary) == ""


def test_a_round_cut_short_before_its_first_course_goes_on_at_the_next_sync(
    study: tuple[Study, FaultProxy],
) -> None:
    """However many syncs a round waits for otherwise (`reconcile_every_syncs`, 20)."""
    opened, proxy = study
    assert opened.sync().reconciled is None
    proxy.rule = hung = SlowStatements(held=60)
    try:
        assert opened.reconcile_before_sign_out(within=0.5) is None and hung.asked == 1
    finally:
        hung.released.set()
    proxy.rule = lambda method, path, body: None

    after = opened.sync()

    assert after.reconciled is not None and after.reconciled.complete
    assert after.reconciled.scopes == 3
