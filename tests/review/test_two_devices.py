"""Two devices of one learner review different questions; after a sync through the reference
server both have one schedule, replayed from the union of their statements, and a pause made
on one holds on the other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from progress_sync.devices import Device, open_device, start_server

from desktop_app.review import ReviewQueue, Schedule

from .learner import pass_quiz


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    server = start_server(tmp_path / "server")
    laptop = open_device(server.url, tmp_path / "laptop" / "cache.sqlite3")
    desktop = open_device(server.url, tmp_path / "desktop" / "cache.sqlite3")
    yield laptop, desktop
    laptop.close()
    desktop.close()
    server.stop()


def sync(device: Device) -> None:
    assert device.outbox().upload().complete
    device.pull().run()


def by_question(schedule: Schedule) -> dict[str, tuple[object, int]]:
    return {item.question.iri: (item.due, item.reviews) for item in schedule.items}


def test_reviews_on_two_devices_merge_into_one_schedule(
    devices: tuple[Device, Device],
) -> None:
    laptop, desktop = devices
    pass_quiz(laptop.log)
    sync(laptop)
    sync(desktop)
    laptop_queue, desktop_queue = ReviewQueue(laptop.log), ReviewQueue(desktop.log)
    first, second = sorted(desktop_queue.schedule().items, key=lambda i: i.question.iri)

    assert laptop_queue.answer(first.question, ["b"])
    assert not desktop_queue.answer(second.question, ["c"])
    before = by_question(laptop_queue.schedule())
    laptop_queue.pause(first.question.course_id)
    sync(laptop)
    sync(desktop)
    sync(laptop)

    merged = by_question(laptop_queue.schedule())
    assert merged == by_question(desktop_queue.schedule())
    assert {reviews for _due, reviews in merged.values()} == {2}
    assert merged[first.question.iri] == before[first.question.iri]
    assert merged[second.question.iri] != before[second.question.iri]
    assert desktop_queue.schedule().paused == {first.question.course_id}
