"""A signed-in account's sync reconciles every `reconcile_every_syncs` syncs, and before
sign-out whatever the count: a statement the pull's `since` passed over is found then."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import Account
from desktop_app.api.xapi import rounds_server_endpoint
from desktop_app.config import Settings, save_settings
from desktop_app.content_store import ContentStore
from desktop_app.models import ProgressEvent, SyncState
from desktop_app.progress import LessonRef
from desktop_app.progress.xapi import COMPLETED, format_timestamp
from desktop_app.study import Study
from reference_server.server import ReferenceServer

WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


@pytest.fixture
def study(curriculum_data: Path, tmp_path: Path) -> Iterator[Study]:
    save_settings(Settings(reconcile_every_syncs=2))
    with ReferenceServer(curriculum_data) as server:
        account = Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
        opened = Study(account, ContentStore(tmp_path / "content"))
        yield opened
        opened.close()
        account.close()


def missed_by_the_pull(study: Study) -> str:
    """A statement another device stored, with the pull's mark already past it (as an LRS
    whose `since` compares timestamps leaves it)."""
    statement = study.progress.builder.build(WELCOME, COMPLETED, study.progress.now())
    statement["id"] = str(uuid.uuid4())
    endpoint = rounds_server_endpoint(study.account.api)
    try:
        assert endpoint.post(json.dumps([statement]).encode()).stored
    finally:
        endpoint.close()
    with study.account.db.session() as session:
        for state in session.query(SyncState).filter(SyncState.stream.like("statements as %")):
            state.cursor = format_timestamp(study.progress.now() + timedelta(days=1))
    return str(statement["id"])


def held(study: Study, statement_id: str) -> bool:
    with study.account.db.session() as session:
        return session.get(ProgressEvent, statement_id) is not None


def test_every_second_sync_reconciles_and_finds_what_the_pull_missed(study: Study) -> None:
    assert study.sync().reconciled is None  # the first of two
    missing = missed_by_the_pull(study)

    second = study.sync()

    assert second.reconciled is not None and second.reconciled.complete
    assert second.reconciled.merged == 1 and held(study, missing) and second.changed
    assert study.sync().reconciled is None


def test_signing_out_reconciles_whatever_the_count(study: Study) -> None:
    assert study.sync().reconciled is None
    missing = missed_by_the_pull(study)
    assert not held(study, missing)

    summary = study.reconcile_before_sign_out()

    assert summary is not None and summary.merged == 1 and held(study, missing)
