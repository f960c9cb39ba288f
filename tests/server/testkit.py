"""Helpers for the reference server tests: a small curriculum and an HTTP client."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests

PASSWORD = "rounds-demo"
CHECKIN_CODE = "HEART-42"
VIDEO_BYTES = bytes(range(256)) * 1200  # 307,200 bytes


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data), encoding="utf-8")


def _course(course_id: str, position: int) -> dict[str, Any]:
    short = course_id.removeprefix("c-")
    return {
        "id": course_id,
        "title": f"Course {short}",
        "summary": "A test course.",
        "position": position,
        "modules": [
            {
                "id": f"m-{short}-1",
                "title": "First module",
                "lessons": [
                    {
                        "id": f"l-{short}-read",
                        "title": "Reading",
                        "kind": "reading",
                        "body": "media/reading.md",
                        "images": ["media/figure.png"],
                    },
                ],
            }
        ],
    }


def write_curriculum(root: Path, now: datetime) -> Path:
    _write(
        root / "users.json",
        [
            {"id": "u-ana", "username": "ana", "password": PASSWORD, "display_name": "Ana Ortiz"},
            {"id": "u-ben", "username": "ben", "password": PASSWORD, "display_name": "Ben Okafor"},
            {"id": "u-cy", "username": "cy", "password": PASSWORD, "display_name": "Cy Outsider"},
        ],
    )
    _write(root / "media" / "welcome.mp4", VIDEO_BYTES)
    _write(root / "media" / "welcome.en.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome\n")
    _write(root / "media" / "reading.md", "# Privacy\n\n![Settings](figure.png)\n")
    _write(root / "media" / "figure.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    foundations = _course("c-foundations", 0)
    foundations["modules"][0]["lessons"].insert(
        0,
        {
            "id": "l-foundations-welcome",
            "title": "Welcome",
            "kind": "video",
            "summary": "Hello",
            "duration_seconds": 8,
            "media": "media/welcome.mp4",
            "captions": {"en": "media/welcome.en.vtt"},
        },
    )
    foundations["modules"][0]["lessons"].append(
        {
            "id": "l-foundations-quiz",
            "title": "Check",
            "kind": "quiz",
            "quiz": {
                "pass_mark": 0.8,
                "questions": [
                    {
                        "id": "q1",
                        "prompt": "Pick b",
                        "multiple": False,
                        "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
                        "correct": ["b"],
                        "feedback": "It is b.",
                    }
                ],
            },
        }
    )
    _write(root / "courses" / "c-foundations.json", foundations)
    _write(root / "courses" / "c-privacy.json", _course("c-privacy", 1))
    _write(root / "residencies" / "r-chicago.json", residency("r-chicago", now, ["ana", "ben"]))
    return root


def residency(residency_id: str, now: datetime, enrolled: list[str]) -> dict[str, Any]:
    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "id": residency_id,
        "title": "Chicago residency",
        "summary": "One day on site.",
        "venue": {"name": "Lakeside Hall", "address": "1 Lake St", "timezone": "America/Chicago"},
        "starts_at": stamp(now + timedelta(hours=1)),
        "ends_at": stamp(now + timedelta(hours=9)),
        "checkin_opens_at": stamp(now - timedelta(hours=1)),
        "checkin_closes_at": stamp(now + timedelta(hours=2)),
        "checkin_code": CHECKIN_CODE,
        "prerequisites": ["c-foundations"],
        "sessions": [
            {
                "id": f"s-{residency_id}-1",
                "title": "Opening",
                "room": "A",
                "faculty": ["Dr Lee"],
                "starts_at": stamp(now + timedelta(hours=1)),
                "ends_at": stamp(now + timedelta(hours=2)),
            },
        ],
        "enrolled": enrolled,
    }


class Api:
    """A signed-in learner talking to the server over HTTP."""

    def __init__(self, base_url: str, username: str = "ana") -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.tokens: dict[str, Any] = {}
        if username:
            self.sign_in(username)

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        response = self.http.post(
            self.base_url + "/api/v1/auth/token", json={"username": username, "password": password}
        )
        if response.status_code == 200:
            self.tokens = response.json()
        return response

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return self.http.request(
            method, self.base_url + path, headers=headers, timeout=30, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def feed(self, name: str, cursor: str | None = None, limit: int = 100) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        response = self.get(f"/api/v1/sync/{name}", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def xapi(
        self, method: str, params: dict[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = {"X-Experience-API-Version": "1.0.3", **kwargs.pop("headers", {})}
        return self.request(method, "/xapi/statements", params=params, headers=headers, **kwargs)

    def close(self) -> None:
        self.http.close()


def new_id() -> str:
    return str(uuid.uuid4())


def assert_problem(
    response: requests.Response, status: int, kind: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    if kind is not None:
        assert problem["type"].endswith("/" + kind), problem
    return problem
