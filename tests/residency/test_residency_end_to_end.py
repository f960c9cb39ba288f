"""The whole chain against the reference server: schedule sync fills the cache, the residency
page rows show it in venue time, the synced badge verifies with the server's key, check-in."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from residency_samples import CHECKIN_CODE, RESIDENCY_ID, FakeClock, Progress

from desktop_app.api import ApiClient, TransportConfig
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.db import Database
from desktop_app.residency import (
    CheckInOutcome,
    CheckInService,
    ResidencyQueries,
    read_claims,
    verify_badge,
)
from desktop_app.sync.engine import SyncEngine
from reference_server.server import ReferenceServer


@pytest.fixture
def api(server: ReferenceServer) -> Iterator[ApiClient]:
    client = ApiClient(server.url, tokens=MemoryTokenStore(), config=TransportConfig(retries=0))
    client.sign_in("ana", "rounds-demo")
    yield client
    client.close()


def test_a_synced_residency_shows_verifies_and_checks_in(
    db: Database, api: ApiClient, server: ReferenceServer, clock: FakeClock
) -> None:
    SyncEngine(db, api).run()
    queries = ResidencyQueries(db, Progress(), learner_zone=ZoneInfo("Europe/London"), clock=clock)
    detail = queries.detail(RESIDENCY_ID)
    assert detail is not None
    assert [row.venue.text for row in detail.sessions][:2] == [
        "01:00–01:45 CST",
        "01:30 CST – 03:30 CDT",
    ]
    assert detail.sessions[2].faculty == ("Dr Omar Haddad", "RN Jo Reyes")
    assert detail.badge is not None and detail.badge.attendee_name == "Ana Ortiz"
    key = api.transport.request_json("GET", "/api/v1/badge-key")["public_key_pem"]
    claims = verify_badge(detail.badge.token, key)
    assert claims == read_claims(detail.badge.token)
    assert (claims.residency_id, claims.user_id) == (RESIDENCY_ID, "u-ana")

    result = CheckInService(db, api.post_checkin, clock).check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert result.outcome is CheckInOutcome.CONFIRMED
    SyncEngine(db, api).run()  # a later sync replaces the residency, never the check-in
    after = queries.detail(RESIDENCY_ID)
    assert after is not None and after.checkin is not None
    assert after.checkin.text.startswith("Checked in — confirmed")
