"""A renewed session keeps how the server names the learner, as a sign-in does: the reference
server's identity home page changes (it restarts on the same address with
`--actor-home-page`), the access token runs out, and the refresh's reply is followed, so the
learner's next statements are the newly stated account's without a new sign-in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK, ServerClock
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.progress import LessonRef
from desktop_app.progress.identity import IDENTITY_FILE
from desktop_app.study import Study
from reference_server.auth import DEFAULT_ACCESS_LIFETIME
from reference_server.learner_identity import IdentitySettings
from reference_server.models import Statement
from reference_server.server import ReferenceServer

LMS = "https://lms.hospital.example"
WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


def test_a_refresh_follows_an_identity_home_page_changed_on_the_server(
    curriculum_data: Path, tmp_path: Path, server_clock: ServerClock
) -> None:
    data = shutil.copytree(curriculum_data, tmp_path / "server")
    with ReferenceServer(data, clock=server_clock) as before:
        url, own_home = before.url, before.identity.home_page
        account = Account.sign_in(url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    user_id = account.paths.recorded().user_id
    assert account.actor.to_xapi()["account"] == {"homePage": own_home, "name": user_id}

    port = urlsplit(url).port or 0
    moved = IdentitySettings(actor_home_page=LMS)
    with ReferenceServer(data, port=port, clock=server_clock, identity=moved) as after:
        try:
            server_clock.advance(DEFAULT_ACCESS_LIFETIME + 60)  # the access token ran out
            account.api.catalog_page()
            assert [r.path for r in after.requests].count("/api/v1/auth/refresh") == 1
            assert account.actor.to_xapi()["account"] == {"homePage": LMS, "name": user_id}
        finally:
            account.close()

        resumed = Account.resume(url, DEMO_USER, config=FAST_NETWORK)  # the next start
        assert resumed is not None
        study = Study(resumed, ContentStore(tmp_path / "content"))
        try:
            with resumed.db.session() as session:
                study.progress.completed(session, WELCOME)
            assert study.sync().progress_error == ""
        finally:
            study.close()
            resumed.close()
        with after.backend.db.read() as session:
            actors = [json.loads(body)["actor"] for body in session.scalars(select(Statement.body))]
    assert actors and all(a["account"] == {"homePage": LMS, "name": user_id} for a in actors)


@pytest.mark.expect_log("desktop_app.api.client", "renewed session states was not kept")
@pytest.mark.expect_log("desktop_app.progress.identity", "cannot be read")
def test_a_renewal_whose_identity_cannot_be_written_keeps_the_session(
    account: Account, server_clock: ServerClock
) -> None:
    """The server has rotated the refresh token by then: losing the new one would end the
    session at the next renewal."""
    kept = account.paths.root / IDENTITY_FILE
    kept.unlink()
    kept.mkdir()  # the file cannot be written where it goes
    before = account.tokens.load()
    server_clock.advance(DEFAULT_ACCESS_LIFETIME + 60)
    account.api.catalog_page()
    renewed = account.tokens.load()
    assert before is not None and renewed is not None
    assert renewed.refresh_token != before.refresh_token
    server_clock.advance(DEFAULT_ACCESS_LIFETIME + 60)
    account.api.catalog_page()  # renewed again with the kept refresh token
