"""A Study builds its check-in, storage and progress-file services the first time they are
used, so an opened account that is only read (as the idle window's is) never loads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_startup import script_result, signed_in_home

from reference_server.server import ReferenceServer

FIRST_USE = [
    "desktop_app.residency.checkin",
    "desktop_app.residency.calendar_export",
    "desktop_app.downloads.storage",
    "desktop_app.progress.exchange",
    "desktop_app.api.documents",
    "desktop_app.sso",
]
READ_THEN_USE = """
import json, sys
from desktop_app.config import content_store
from desktop_app.content_store import ContentStore
from desktop_app.gui.shell import resume_account
from desktop_app.study import Study

watched = json.loads(sys.argv[1])
loaded = lambda: sorted(name for name in watched if name in sys.modules)
account = resume_account("", None, None)
study = Study(account, ContentStore(content_store()))
study.downloads.start()
read = [len(study.library.courses()), study.pending().empty, study.review.due_count()]
read.append(len(study.residencies.summaries()))
idle = loaded()
used = [study.checkins.pending_count(), study.storage.report().total_bytes]
used.append(study.progress_exchange is study.progress_exchange)
after = loaded()
study.close()
account.close()
print(json.dumps({"read": read, "idle": idle, "used": used, "after": after}))
"""


def test_a_read_study_loads_its_first_use_services_only_when_used(
    reference_server: ReferenceServer, rounds_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = signed_in_home(reference_server, rounds_home, monkeypatch)
    shown = script_result(env, READ_THEN_USE, FIRST_USE)
    assert shown["read"][0] == 3 and shown["read"][1]  # the synced courses, nothing waiting
    assert shown["idle"] == []
    assert shown["used"] == [0, 0, True]  # no check-in queued, nothing downloaded
    assert set(shown["after"]) == {
        "desktop_app.residency.checkin",
        "desktop_app.downloads.storage",
        "desktop_app.progress.exchange",
    }
