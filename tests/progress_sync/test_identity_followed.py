"""A running session follows a renewal's identity: the reference server restarts on the same
address with its identity home page moved (`actor_home_page`), the access token runs out, and
the first request's renewal states the new account; the statements this same `Study` makes from
then on name the learner on the new home page, here and on the server, with no new start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK, ServerClock
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.models import ProgressEvent
from desktop_app.progress import LessonRef
from desktop_app.study import Study
from reference_server.auth import DEFAULT_ACCESS_LIFETIME
from reference_server.learner_identity import IdentitySettings
from reference_server.models import Statement
from reference_server.server import ReferenceServer

LMS = "https://lms.hospital.example"
WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


def local_actor(study: Study, statement_id: str) -> object:
    with study.account.db.session() as session:
        row = session.get(ProgressEvent, statement_id)
        assert row is not None
        return json.loads(row.statement_json)["actor"]["account"]


def test_a_running_study_names_the_learner_as_the_renewal_stated(
    curriculum_data: Path, tmp_path: Path, server_clock: ServerClock
) -> None:
    data = shutil.copytree(curriculum_data, tmp_path / "server")
    with ReferenceServer(data, clock=server_clock) as before:
        url, own_home = before.url, before.identity.home_page
        account = Account.sign_in(url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
        study = Study(account, ContentStore(tmp_path / "content"))
        user_id = account.paths.recorded().user_id
        with account.db.session() as session:
            first = study.progress.launched(session, WELCOME)
        assert study.sync().progress_error == ""
    try:
        port = urlsplit(url).port or 0
        moved = IdentitySettings(actor_home_page=LMS)
        with ReferenceServer(data, port=port, clock=server_clock, identity=moved) as after:
            server_clock.advance(DEFAULT_ACCESS_LIFETIME + 60)  # the access token ran out
            assert study.sync().progress_error == ""  # renewed on its first request
            assert [r.path for r in after.requests].count("/api/v1/auth/refresh") == 1
            with account.db.session() as session:
                second = study.progress.completed(session, WELCOME)
            assert study.sync().progress_error == ""
            with after.backend.db.read() as session:
                stored = {
                    body["id"]: body["actor"]["account"]
                    for body in map(json.loads, session.scalars(select(Statement.body)))
                }
        assert local_actor(study, first) == {"homePage": own_home, "name": user_id}  # as made
        assert local_actor(study, second) == {"homePage": LMS, "name": user_id}
        assert stored[second] == {"homePage": LMS, "name": user_id}
    finally:
        study.close()
        account.close()
