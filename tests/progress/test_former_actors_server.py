"""A learner the server names by their own e-mail address keeps what they did before, over
loopback against the real reference server: it names Ana by the mailbox made from her username
and the mail domain, then, restarted with `--actor-mail-addresses` once she has an address of
her own, by that address, listing the made-up mailbox among her `xapi.former_actors`. A new
device pulls the statements made under the earlier mailbox as hers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_learner_statements_server import WELCOME, Device, stored

from desktop_app.progress import LessonRef
from reference_server.learner_identity import IdentitySettings
from reference_server.server import ReferenceServer
from reference_server.users import Users

DOMAIN = "hospital.example"
MADE_UP = f"mailto:ana@{DOMAIN}"
OWN = "mailto:ana.ortiz@clinic.example"
LANDSCAPE = LessonRef("l-foundations-landscape", "c-foundations", "Landscape", "video")


@pytest.fixture
def devices() -> Iterator[list[Device]]:
    opened: list[Device] = []
    yield opened
    for device in opened:
        device.close()


def test_statements_under_the_made_up_mailbox_stay_hers_on_a_new_device(
    reference_server: ReferenceServer,
    tmp_path: Path,
    devices: list[Device],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = Path(shutil.copytree(reference_server.backend.data_dir, tmp_path / "server-data"))
    with ReferenceServer(data, identity=IdentitySettings(mail_domain=DOMAIN)) as before:
        already = {s["id"] for s in stored(before)}  # other tests' statements on the shared server
        laptop = Device(before.url, tmp_path / "content")
        devices.append(laptop)
        assert laptop.account.actor.mbox == MADE_UP
        laptop.complete(WELCOME)
        laptop.sync()
        earlier = {s["id"] for s in stored(before)} - already
        Users(before.backend).set_email("ana", OWN.removeprefix("mailto:"))

    by_address = IdentitySettings(mail_domain=DOMAIN, mail_addresses=True)
    with ReferenceServer(data, identity=by_address) as after:
        monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "a-new-laptop"))
        fresh = Device(after.url, tmp_path / "fresh-content")
        devices.append(fresh)
        assert fresh.account.actor.mbox == OWN
        fresh.complete(LANDSCAPE)
        fresh.sync()
        made_here = [s for s in stored(after) if s["id"] not in already]
        assert {s["actor"]["mbox"] for s in made_here} == {MADE_UP, OWN}
        held = {s["id"] for s in fresh.statements()}
        assert earlier < held
        completed = fresh.study.progress.completed_lessons()
        assert {WELCOME.lesson_id, LANDSCAPE.lesson_id} <= set(completed)
