"""Venue check-ins: code and window checks, idempotency, one check-in per attendee."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import requests

from reference_server import ReferenceServer

from .testkit import CHECKIN_CODE, Api, assert_problem, new_id

DEVICE_TIME = "2027-03-14T13:55:00Z"


def _check_in(api: Api, checkin_id: str, code: str = CHECKIN_CODE, residency: str = "r-chicago"):
    body = {"id": checkin_id, "residency_id": residency, "code": code, "device_time": DEVICE_TIME}
    return api.post("/api/v1/checkins", json=body)


def test_first_check_in_is_201_and_repeating_it_is_200(server: ReferenceServer, api: Api) -> None:
    checkin_id = new_id()
    first = _check_in(api, checkin_id)
    assert first.status_code == 201
    confirmation = first.json()
    assert confirmation["id"] == checkin_id and confirmation["status"] == "confirmed"
    assert confirmation["residency_id"] == "r-chicago"
    assert confirmation["confirmed_at"].endswith("Z")
    again = _check_in(api, checkin_id)
    assert again.status_code == 200 and again.json() == confirmation
    records = server.admin.list_checkins("r-chicago")
    assert [(r.id, r.username) for r in records] == [(checkin_id, "ana")]
    assert records[0].device_time == datetime.fromisoformat(DEVICE_TIME)
    assert records[0].received_at.tzinfo is not None


def test_code_is_compared_ignoring_case_and_spacing(api: Api) -> None:
    assert _check_in(api, new_id(), code=f"  {CHECKIN_CODE.lower()} ").status_code == 201


def test_second_device_gets_the_existing_check_in(server: ReferenceServer, api: Api) -> None:
    original = new_id()
    assert _check_in(api, original).status_code == 201
    other = _check_in(api, new_id())
    assert other.status_code == 200 and other.json()["id"] == original
    assert len(server.admin.list_checkins("r-chicago")) == 1


def test_wrong_code_is_422_and_stores_nothing(server: ReferenceServer, api: Api) -> None:
    problem = assert_problem(_check_in(api, new_id(), code="WRONG"), 422, "wrong-code")
    assert problem["title"] == "Wrong check-in code"
    assert server.admin.list_checkins("r-chicago") == []


def test_outside_the_window_is_422(server: ReferenceServer, api: Api, now: datetime) -> None:
    server.admin.set_checkin_window("r-chicago", now + timedelta(hours=1), now + timedelta(hours=2))
    assert_problem(_check_in(api, new_id()), 422, "outside-window")
    server.admin.set_checkin_window("r-chicago", now - timedelta(hours=2), now - timedelta(hours=1))
    assert_problem(_check_in(api, new_id()), 422, "outside-window")
    assert server.admin.list_checkins("r-chicago") == []


def test_not_enrolled_is_403(server: ReferenceServer) -> None:
    outsider = Api(server.url, "cy")
    assert_problem(_check_in(outsider, new_id()), 403, "not-enrolled")
    server.admin.withdraw("r-chicago", "ben")
    assert_problem(_check_in(Api(server.url, "ben"), new_id()), 403, "not-enrolled")


def test_unknown_residency_is_404(shared_api: Api) -> None:
    assert_problem(_check_in(shared_api, new_id(), residency="r-nowhere"), 404, "not-found")


def test_someone_elses_check_in_id_is_a_conflict(server: ReferenceServer, api: Api) -> None:
    checkin_id = new_id()
    assert _check_in(api, checkin_id).status_code == 201
    assert_problem(_check_in(Api(server.url, "ben"), checkin_id), 409, "conflict")


@pytest.mark.parametrize(
    "body",
    [
        {"id": "not-a-uuid", "residency_id": "r-chicago", "code": "x", "device_time": DEVICE_TIME},
        {"id": new_id(), "residency_id": 7, "code": "x", "device_time": DEVICE_TIME},
        {"id": new_id(), "residency_id": "r-chicago", "code": "x", "device_time": "yesterday"},
        {"id": new_id(), "residency_id": "r-chicago", "code": "x", "device_time": 1700000000},
        {
            "id": new_id(),
            "residency_id": "r-chicago",
            "code": "x",
            "device_time": "2027-03-14T13:55",
        },
        {"id": new_id(), "residency_id": "r-chicago", "device_time": DEVICE_TIME},
        {
            "id": new_id(),
            "residency_id": "r-chicago",
            "code": "x",
            "device_time": DEVICE_TIME,
            "extra": True,
        },
        [],
    ],
)
@pytest.mark.backend_neutral
def test_invalid_bodies_are_400_and_store_nothing(
    shared_server: ReferenceServer, shared_api: Api, body
) -> None:
    assert_problem(shared_api.post("/api/v1/checkins", json=body), 400, "invalid-request")
    assert shared_server.admin.list_checkins("r-chicago") == []


@pytest.mark.backend_neutral
def test_check_in_needs_a_token(shared_server: ReferenceServer) -> None:
    response = requests.post(shared_server.url + "/api/v1/checkins", json={}, timeout=10)
    assert_problem(response, 401, "unauthorized")


def test_concurrent_repeats_store_one_check_in(server: ReferenceServer) -> None:
    devices = [Api(server.url, "ana") for _ in range(2)]
    checkin_id = new_id()
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(_check_in, devices[i % 2], checkin_id) for i in range(16)]
        statuses = sorted(future.result().status_code for future in futures)
    assert statuses == [200] * 15 + [201]
    assert len(server.admin.list_checkins("r-chicago")) == 1


def _check_in_at(api: Api, device_time: datetime) -> requests.Response:
    body = {
        "id": new_id(),
        "residency_id": "r-chicago",
        "code": CHECKIN_CODE,
        "device_time": device_time.isoformat().replace("+00:00", "Z"),
    }
    return api.post("/api/v1/checkins", json=body)


def test_a_check_in_queued_offline_counts_at_its_device_time(
    server: ReferenceServer, api: Api, now: datetime
) -> None:
    server.admin.set_checkin_window("r-chicago", now - timedelta(hours=3), now - timedelta(hours=1))
    assert _check_in_at(api, now - timedelta(hours=2)).status_code == 201


def test_a_queued_check_in_arriving_after_the_grace_period_is_refused(
    server: ReferenceServer, api: Api, now: datetime
) -> None:
    closed = now - timedelta(hours=25)
    server.admin.set_checkin_window("r-chicago", closed - timedelta(hours=2), closed)
    assert_problem(_check_in_at(api, closed - timedelta(hours=1)), 422, "outside-window")


def test_a_device_clock_ahead_of_the_server_is_not_believed(
    server: ReferenceServer, api: Api, now: datetime
) -> None:
    server.admin.set_checkin_window("r-chicago", now + timedelta(hours=1), now + timedelta(hours=2))
    assert_problem(_check_in_at(api, now + timedelta(hours=1.5)), 422, "outside-window")
