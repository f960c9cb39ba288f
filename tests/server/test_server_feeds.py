"""Catalog and schedule delta feeds: whole documents, paging, later changes, tombstones."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reference_server import ReferenceServer

from .testkit import Api, assert_problem


def _drain(
    api: Api, feed: str, cursor: str | None = None, limit: int = 100
) -> tuple[list[dict], str]:
    items: list[dict] = []
    while True:
        page = api.feed(feed, cursor, limit)
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items, cursor


def test_catalog_holds_whole_courses(api: Api) -> None:
    page = api.feed("catalog")
    assert page["has_more"] is False
    courses = {item["id"]: item for item in page["items"]}
    assert set(courses) == {"c-foundations", "c-privacy"}
    course = courses["c-foundations"]["course"]
    assert courses["c-foundations"]["deleted"] is False
    assert course["version"] == 1 and course["updated_at"].endswith("Z")
    lessons = course["modules"][0]["lessons"]
    assert [lesson["kind"] for lesson in lessons] == ["video", "reading", "quiz"]
    assert [lesson["position"] for lesson in lessons] == [0, 1, 2]
    video, reading, quiz = lessons
    assert [(a["role"], a["mime_type"]) for a in video["assets"]] == [
        ("media", "video/mp4"),
        ("captions", "text/vtt"),
    ]
    assert video["assets"][1]["language"] == "en"
    assert video["assets"][0]["size"] == 307_200 and len(video["assets"][0]["sha256"]) == 64
    assert [a["name"] for a in reading["assets"]] == ["reading.md", "figure.png"]
    assert quiz["quiz"]["questions"][0]["correct"] == ["b"]


def test_paging_through_a_feed_larger_than_one_page(server: ReferenceServer, api: Api) -> None:
    server.admin.generate_catalog(23, 4)
    seen, cursor, pages = [], None, 0
    while True:
        page = api.feed("catalog", cursor, limit=5)
        pages += 1
        assert len(page["items"]) <= 5
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert pages == 5
    assert len(seen) == len(set(seen)) == 25
    generated = [item for item in api.feed("catalog", limit=500)["items"] if "gen" in item["id"]]
    lessons = [
        lesson for module in generated[0]["course"]["modules"] for lesson in module["lessons"]
    ]
    assert len(lessons) == 4
    assert api.feed("catalog", cursor)["items"] == []


def test_a_later_edit_appears_in_the_next_delta(server: ReferenceServer, api: Api) -> None:
    _, cursor = _drain(api, "catalog")
    server.admin.update_lesson("l-privacy-read", title="Reading, revised")
    page = api.feed("catalog", cursor)
    assert [item["id"] for item in page["items"]] == ["c-privacy"]
    course = page["items"][0]["course"]
    assert course["version"] == 2
    assert course["modules"][0]["lessons"][0]["title"] == "Reading, revised"
    assert api.feed("catalog", page["next_cursor"])["items"] == []


def test_module_edit_moves_its_course(server: ReferenceServer, api: Api) -> None:
    _, cursor = _drain(api, "catalog")
    server.admin.update_module("m-foundations-1", title="Renamed")
    items = api.feed("catalog", cursor)["items"]
    assert items[0]["course"]["modules"][0]["title"] == "Renamed"


def test_unpublish_arrives_as_a_tombstone_and_publish_brings_it_back(
    server: ReferenceServer, api: Api
) -> None:
    _, cursor = _drain(api, "catalog")
    server.admin.unpublish_course("c-privacy")
    page = api.feed("catalog", cursor)
    assert page["items"] == [{"type": "course", "id": "c-privacy", "deleted": True}]
    server.admin.publish_course("c-privacy")
    again = api.feed("catalog", page["next_cursor"])
    assert again["items"][0]["deleted"] is False
    assert again["items"][0]["course"]["version"] == 3


def test_each_document_appears_once_at_its_latest_version(
    server: ReferenceServer, api: Api
) -> None:
    _, cursor = _drain(api, "catalog")
    server.admin.update_lesson("l-privacy-read", title="One")
    server.admin.update_lesson("l-foundations-read", title="Two")
    server.admin.update_lesson("l-privacy-read", title="Three")
    items = api.feed("catalog", cursor)["items"]
    assert [item["id"] for item in items] == ["c-foundations", "c-privacy"]
    assert items[1]["course"]["modules"][0]["lessons"][0]["title"] == "Three"


def test_reloading_the_same_curriculum_changes_nothing(
    server: ReferenceServer, api: Api, curriculum
) -> None:
    _, cursor = _drain(api, "catalog")
    report = server.admin.load_curriculum(curriculum)
    assert report.changed_courses == 0
    assert api.feed("catalog", cursor)["items"] == []
    assert api.feed("schedule", _drain(api, "schedule")[1])["items"] == []


@pytest.mark.parametrize("feed", ["catalog", "schedule"])
def test_tampered_and_foreign_cursors_are_unknown(api: Api, feed: str) -> None:
    cursor = api.feed(feed)["next_cursor"]
    body, _, mac = cursor.partition(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac
    other = api.feed("schedule" if feed == "catalog" else "catalog")["next_cursor"]
    for bad in (tampered, "garbage", "x.y", other, cursor + "x"):
        response = api.get(f"/api/v1/sync/{feed}", params={"cursor": bad})
        assert_problem(response, 400, "unknown-cursor")


@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten", "1.5"])
def test_limit_outside_1_to_500_is_rejected(api: Api, limit: str) -> None:
    assert_problem(api.get("/api/v1/sync/catalog", params={"limit": limit}), 400, "invalid-request")


def test_schedule_lists_only_the_users_residencies(server: ReferenceServer, api: Api) -> None:
    item = api.feed("schedule")["items"][0]
    residency = item["residency"]
    assert item["id"] == "r-chicago" and item["deleted"] is False
    assert residency["venue"]["timezone"] == "America/Chicago"
    assert residency["sessions"][0]["faculty"] == ["Dr Lee"]
    assert residency["enrolment"]["status"] == "enrolled"
    assert residency["prerequisites"] == ["c-foundations"]
    outsider = Api(server.url, "cy")
    assert outsider.feed("schedule")["items"] == []
    ben_cursor = Api(server.url, "ben").feed("schedule")["next_cursor"]
    assert_problem(api.get("/api/v1/sync/schedule", params={"cursor": ben_cursor}), 400)


def test_withdrawal_is_a_tombstone_for_that_learner_only(server: ReferenceServer, api: Api) -> None:
    ben = Api(server.url, "ben")
    _, ana_cursor = _drain(api, "schedule")
    _, ben_cursor = _drain(ben, "schedule")
    server.admin.withdraw("r-chicago", "ana")
    assert api.feed("schedule", ana_cursor)["items"] == [
        {"type": "residency", "id": "r-chicago", "deleted": True}
    ]
    assert ben.feed("schedule", ben_cursor)["items"] == []
    server.admin.enrol("r-chicago", "ana")
    assert api.feed("schedule", ana_cursor)["items"][0]["deleted"] is False


def test_check_in_window_change_reaches_the_schedule(
    server: ReferenceServer, api: Api, now
) -> None:
    first, cursor = _drain(api, "schedule")
    opens, closes = now + timedelta(days=1), now + timedelta(days=2)
    server.admin.set_checkin_window("r-chicago", opens, closes)
    residency = api.feed("schedule", cursor)["items"][0]["residency"]
    assert residency["checkin_opens_at"] == opens.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert residency["version"] == first[0]["residency"]["version"] + 1


def test_a_removed_residency_is_a_tombstone(server: ReferenceServer, api: Api, curriculum) -> None:
    _, cursor = _drain(api, "schedule")
    server.admin.remove_residency("r-chicago")
    page = api.feed("schedule", cursor)
    assert page["items"] == [{"type": "residency", "id": "r-chicago", "deleted": True}]
    server.admin.load_curriculum(curriculum)
    assert api.feed("schedule", page["next_cursor"])["items"][0]["deleted"] is False
