"""A captive portal's sign-in page where the server's JSON was expected, and a server that
stays busy: one sentence saying what to do, and the cache as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import CaptivePortalError, RateLimitedError
from desktop_app.api.xapi import rounds_server_endpoint
from desktop_app.db import Database
from desktop_app.error_text import ErrorReport, describe
from desktop_app.models import Course
from reference_server.server import ReferenceServer

CATALOG = "/api/v1/sync/catalog"
PORTAL_PAGE = "<html><body><form>Guest Wi-Fi: accept the terms to go on</form></body></html>"
PORTAL = {"body": PORTAL_PAGE, "content_type": "text/html; charset=utf-8"}
HANDOVER = {"id": "c-handover", "title": "Night shift handover", "modules": []}


def sign_in_sentence(server: ReferenceServer) -> str:
    host = server.url.removeprefix("http://")
    return (
        f"The network at {host} asked for a sign-in page instead of answering: open a web "
        "browser, sign in to the network (for example the hotel or hospital Wi-Fi), then try "
        "again."
    )


def course_titles(db: Database) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(Course.title)))


@pytest.mark.expect_log("desktop_app.sync.engine", "Sync of catalog failed")
def test_a_portal_page_for_a_catalog_page_asks_to_sign_in_and_leaves_the_cache(
    account: Account, reference_server: ReferenceServer
) -> None:
    account.sync()
    reference_server.admin.add_course(HANDOVER)
    before = course_titles(account.db)
    reference_server.faults.add(CATALOG, **PORTAL)

    with pytest.raises(CaptivePortalError) as caught:
        account.sync()

    sentence = sign_in_sentence(reference_server)
    assert describe(caught.value) == ErrorReport(sentence, offline=True)
    assert course_titles(account.db) == before
    account.sync()
    assert course_titles(account.db) == before | {"Night shift handover"}


def test_a_portal_page_for_any_json_reply_is_told_the_same_way(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add("/api/v1/about", **PORTAL)
    reference_server.faults.add("/xapi/statements", **PORTAL)
    sentence = sign_in_sentence(reference_server)

    with pytest.raises(CaptivePortalError, match=r"^The network at ") as about:
        client.about()
    with pytest.raises(CaptivePortalError) as upload:
        rounds_server_endpoint(client).post(b"[]")

    assert about.value.message == upload.value.message == sentence


def test_a_server_that_stays_busy_says_when_to_try_again(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add(CATALOG, status=429, retry_after=120, count=10)

    with pytest.raises(RateLimitedError) as caught:
        client.catalog_page()

    assert describe(caught.value).message == "The server is busy; try again in 2 minutes."
    assert caught.value.status == 429, "a check-in still stays queued on it"


def test_a_busy_server_naming_a_date_is_told_in_time_left(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    at = format_datetime(datetime.now(UTC) + timedelta(seconds=40), usegmt=True)
    reference_server.faults.add(CATALOG, status=429, retry_after=at, count=10)

    with pytest.raises(RateLimitedError, match=r"^The server is busy; try again in (3\d|40) s"):
        client.catalog_page()
