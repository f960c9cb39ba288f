"""The reconciliation: the learner's statements asked for again by course registration, from
the first, every so many syncs; bounded per run and resumed at the next one."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.models import ProgressEvent
from desktop_app.progress import LessonRef
from desktop_app.sync.reconciliation import (
    Reconciliation,
    ReconciliationSummary,
    course_ids,
    registration_scopes,
)

from .conftest import OpenDevice
from .devices import VIDEO, Device

WARDS = LessonRef("l-wards", "c-wards", "Ward rounds", "video")


def reconciliation(device: Device, **options: int) -> Reconciliation:
    with device.db.session() as session:
        courses = sorted({*course_ids(session), VIDEO.course_id, WARDS.course_id})
    scopes = registration_scopes(device.log.builder, courses)
    return Reconciliation(device.exchange, device.endpoint, scopes, **options)


def test_it_runs_every_so_many_syncs_and_merges_what_the_log_lacks(
    open_devices: OpenDevice,
) -> None:
    laptop, desktop = open_devices("laptop"), open_devices("desktop")
    made = laptop.record(4) + laptop.record(3, WARDS)
    assert laptop.outbox().upload().complete

    counted = [reconciliation(desktop, every=3).after_sync() for _ in range(3)]

    assert counted[:2] == [None, None]
    third = counted[2]
    assert third is not None and third.complete
    assert (third.scopes, third.received, third.merged) == (2, 7, 7)
    assert set(stored_ids(desktop)) == set(made)
    assert reconciliation(desktop, every=3).after_sync() is None  # the count starts again
    again = reconciliation(desktop).run()
    assert again.complete and (again.received, again.merged) == (7, 0)


def test_a_round_is_bounded_per_run_and_goes_on_where_it_stopped(
    open_devices: OpenDevice,
) -> None:
    laptop, desktop = open_devices("laptop"), open_devices("desktop")
    made = laptop.record(5) + laptop.record(2, WARDS)
    assert laptop.outbox().upload().complete

    runs: list[ReconciliationSummary] = []
    while not runs or not runs[-1].complete:
        runs.append(reconciliation(desktop, page_size=2, max_pages=2).run())
        assert len(runs) < 10

    assert [run.pages for run in runs] == [2, 2]  # 3 pages of the first course, 1 of the second
    assert sum(run.merged for run in runs) == len(made)
    assert [run.scopes for run in runs] == [0, 2]
    assert set(stored_ids(desktop)) == set(made)


def test_another_learner_statements_are_not_asked_for(open_devices: OpenDevice) -> None:
    ana, ben = open_devices("ana-laptop"), open_devices("ben-laptop", "ben")
    ben.record(3)
    assert ben.outbox().upload().complete

    summary = reconciliation(ana).run()

    assert summary.complete and summary.received == 0 and stored_ids(ana) == []


def stored_ids(device: Device) -> list[str]:
    with device.db.session() as session:
        return list(session.scalars(select(ProgressEvent.id)))
