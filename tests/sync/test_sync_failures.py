"""A server that misbehaves: a clear error, the cache exactly as it was, the reason recorded."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from server_fixture import FAST_NETWORK
from sqlalchemy import select
from sync_samples import CATALOG, NEW_COURSE, SCHEDULE, snapshot

from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import (
    ApiError,
    BadPayloadError,
    OfflineError,
    ProblemError,
    ServerError,
)
from desktop_app.models import SyncState
from desktop_app.sync.engine import SyncEngine
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

WRONG_SHAPE = '{"items": [{"type": "course", "id": "c-x", "deleted": false, "course": 5}], '
WRONG_SHAPE += '"next_cursor": "x", "has_more": false}'

FAULTS: list[tuple[str, dict[str, Any], type[ApiError], str]] = [
    ("server error", {"status": 500}, ServerError, "server had a problem"),
    ("overloaded", {"status": 503, "count": 10}, ServerError, "server had a problem"),
    ("rate limited", {"status": 429, "retry_after": 1, "count": 10}, ProblemError, ""),
    ("malformed JSON", {"body": '{"items": [{"type": '}, BadPayloadError, "not valid JSON"),
    ("wrong shape", {"body": WRONG_SHAPE}, BadPayloadError, "cannot read"),
    ("timeout", {"delay": 0.5, "count": 10}, OfflineError, "did not answer in time"),
]

SCHEDULE_FAULTS = ("wrong shape", "timeout")

CASES = [("catalog", CATALOG, *fault[1:]) for fault in FAULTS]
CASES += [("schedule", SCHEDULE, *fault[1:]) for fault in FAULTS if fault[0] in SCHEDULE_FAULTS]
IDS = [f"catalog-{f[0]}" for f in FAULTS] + [f"schedule-{name}" for name in SCHEDULE_FAULTS]


@pytest.mark.parametrize(("feed", "path", "fault", "error", "words"), CASES, ids=IDS)
@pytest.mark.expect_log("desktop_app.sync.engine", "Sync of")
def test_a_failing_feed_leaves_the_cache_unchanged(
    account: Account,
    reference_server: ReferenceServer,
    feed: str,
    path: str,
    fault: dict[str, Any],
    error: type[ApiError],
    words: str,
) -> None:
    account.sync()
    reference_server.admin.add_course(NEW_COURSE, SAMPLE_CURRICULUM)
    reference_server.admin.withdraw("r-2027-chicago", "ana")
    before = snapshot(account.db)
    impatient = replace(FAST_NETWORK, read_timeout=0.2, retries=1)
    api = ApiClient(reference_server.url, tokens=account.tokens, config=impatient)
    reference_server.faults.add(path, **fault)

    with pytest.raises(error) as caught:
        SyncEngine(account.db, api, page_size=500).run()

    assert words in caught.value.message
    tables = before.keys() if feed == "catalog" else {"residency", "residency_session", "enrolment"}
    after = snapshot(account.db)
    assert {t: after[t] for t in tables} == {t: before[t] for t in tables}
    with account.db.session() as session:
        state = session.get(SyncState, feed)
        assert state is not None and state.last_error == caught.value.message
    api.close()


@pytest.mark.expect_log("desktop_app.sync.engine", "Sync of catalog failed")
def test_a_page_that_contradicts_itself_is_refused_whole(
    account: Account, reference_server: ReferenceServer
) -> None:
    account.sync()
    before = snapshot(account.db)
    item = {"type": "course", "id": "c-y", "deleted": False, "course": {"id": "c-z"}}
    body = {"items": [item], "next_cursor": "y", "has_more": False}
    reference_server.faults.add(CATALOG, body=json.dumps(body))
    with pytest.raises(BadPayloadError):
        account.sync()
    assert snapshot(account.db) == before
    with account.db.session() as session:
        cursors = {s.stream: s.cursor for s in session.scalars(select(SyncState))}
    assert cursors["catalog"] != "y"
