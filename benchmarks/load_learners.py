"""The load generator: simulated learners, one thread each in this process, who sign in, sync
the catalog a page at a time as the client does, wait until all have, then upload their
statements in the client's batches. Bodies are built before anyone starts, so the generator
only sends and times; its own CPU time is measured too."""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import requests

from benchmarks.load_server import PASSWORD, PUBLIC_URL, learner_name
from desktop_app.api.xapi import XAPI_VERSION
from desktop_app.sync.engine import DEFAULT_PAGE_SIZE
from desktop_app.sync.outbox import DEFAULT_BATCH_SIZE

SIGN_IN, CATALOG, STATEMENTS = (
    "POST /api/v1/auth/token",
    "GET /api/v1/sync/catalog",
    ("POST /xapi/statements"),
)
REQUEST_TIMEOUT = 120.0
MAX_CATALOG_PAGES = 1_000
VERBS = ("experienced", "completed", "answered", "progressed")


@dataclass(frozen=True)
class Learner:
    username: str
    user_id: str
    batches: tuple[bytes, ...]
    ids: tuple[str, ...]


def _statement(user_id: str, number: int) -> dict[str, object]:
    verb = VERBS[number % len(VERBS)]
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": PUBLIC_URL, "name": user_id}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": f"{PUBLIC_URL}/xapi/activities/lessons/l-{number % 97:04d}",
            "definition": {"name": {"en-US": f"Lesson {number % 97}"}},
        },
        "result": {"completion": verb == "completed", "score": {"scaled": 0.8}},
        "context": {"registration": str(uuid.UUID(int=number + 1)), "platform": "Rounds"},
        "timestamp": f"2026-11-20T10:{number // 60 % 60:02d}:{number % 60:02d}.000Z",
    }


def learner(number: int, statements: int, batch_size: int = DEFAULT_BATCH_SIZE) -> Learner:
    user_id = f"u-{learner_name(number)}"
    made = [_statement(user_id, n) for n in range(statements)]
    batches = tuple(
        json.dumps(made[start : start + batch_size]).encode("utf-8")
        for start in range(0, statements, batch_size)
    )
    return Learner(learner_name(number), user_id, batches, tuple(str(s["id"]) for s in made))


@dataclass
class Tally:
    """Latencies per endpoint and replies by status, gathered from every learner's thread."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(
        self, endpoint: str, who: str, send: Callable[[], requests.Response]
    ) -> requests.Response | None:
        """The reply, or None when there was none (the failure is recorded); a reply that is
        not 200 is recorded as a failure too."""
        started = time.perf_counter()
        try:
            reply = send()
        except requests.RequestException as error:
            self.failed(f"{who} {endpoint}: no reply ({type(error).__name__})")
            return None
        elapsed = time.perf_counter() - started
        with self._lock:
            self.seconds.setdefault(endpoint, []).append(elapsed)
            self.statuses[reply.status_code] = self.statuses.get(reply.status_code, 0) + 1
        if reply.status_code != 200:
            self.failed(f"{who} {endpoint}: {reply.status_code}")
            return None
        return reply

    def failed(self, what: str) -> None:
        with self._lock:
            self.failures.append(what)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


@dataclass(frozen=True)
class Percentiles:
    count: int
    p50: float
    p95: float
    p99: float


def percentiles(values: list[float]) -> Percentiles:
    if len(values) < 2:
        only = values[0] if values else float("nan")
        return Percentiles(len(values), only, only, only)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return Percentiles(len(values), cuts[49], cuts[94], cuts[98])


@dataclass(frozen=True)
class Drive:
    """One load run: the tally, the wall time and generator CPU of the upload phase, and the
    ids the server acknowledged."""

    tally: Tally
    upload_seconds: float
    generator_cpu_seconds: float
    acknowledged: frozenset[str]


class _Run:
    def __init__(self, url: str, learners: list[Learner], on_upload: Callable[[], None]) -> None:
        self.url, self.tally = url, Tally()
        self.acknowledged: set[str] = set()
        self.started = self.cpu_started = 0.0
        self._on_upload, self._lock = on_upload, threading.Lock()
        self.barrier = threading.Barrier(len(learners), action=self._upload_starts)

    def _upload_starts(self) -> None:
        self._on_upload()
        self.started, self.cpu_started = time.perf_counter(), time.process_time()

    def learn(self, one: Learner) -> None:
        """One learner's session; an error breaks the barrier, so the others stop waiting."""
        try:
            with requests.Session() as http:
                signed_in = self._sign_in(http, one)
                synced = signed_in and self._sync_catalog(http, one)
                self.barrier.wait(timeout=REQUEST_TIMEOUT * 4)
                # Connections idle through the wait may outlast the server's keep-alive (uvicorn
                # closes them after 5 s): a POST sent on one as it closes gets no reply, and
                # requests does not send a POST again. The upload starts on fresh connections.
                http.close()
                if synced:
                    self._upload(http, one)
        except BaseException:
            self.barrier.abort()
            raise

    def _sign_in(self, http: requests.Session, one: Learner) -> bool:
        credentials = {"username": one.username, "password": PASSWORD}
        url = self.url + "/api/v1/auth/token"
        reply = self.tally.timed(
            SIGN_IN,
            one.username,
            partial(http.post, url, json=credentials, timeout=REQUEST_TIMEOUT),
        )
        if reply is None:
            return False
        http.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
        return True

    def _sync_catalog(self, http: requests.Session, one: Learner) -> bool:
        cursor, url = "", self.url + "/api/v1/sync/catalog"
        for _ in range(MAX_CATALOG_PAGES):
            params = {"limit": str(DEFAULT_PAGE_SIZE), **({"cursor": cursor} if cursor else {})}
            reply = self.tally.timed(
                CATALOG,
                one.username,
                partial(http.get, url, params=params, timeout=REQUEST_TIMEOUT),
            )
            if reply is None:
                return False
            page = reply.json()
            if not page["has_more"]:
                return True
            cursor = page["next_cursor"]
        self.tally.failed(f"{one.username} catalog: more than {MAX_CATALOG_PAGES} pages")
        return False

    def _upload(self, http: requests.Session, one: Learner) -> None:
        url = self.url + "/xapi/statements"
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"}
        for body in one.batches:
            reply = self.tally.timed(
                STATEMENTS,
                one.username,
                partial(http.post, url, data=body, headers=headers, timeout=REQUEST_TIMEOUT),
            )
            if reply is None:
                continue
            with self._lock:
                self.acknowledged.update(reply.json())


def drive(url: str, learners: list[Learner], on_upload: Callable[[], None] = lambda: None) -> Drive:
    """Runs every learner at once; `on_upload` is called once all have synced, just before the
    first upload (the upload phase is what the throughput counts)."""
    run = _Run(url, learners, on_upload)
    with ThreadPoolExecutor(max_workers=len(learners)) as pool:
        for done in [pool.submit(run.learn, one) for one in learners]:
            done.result()
    return Drive(
        run.tally,
        time.perf_counter() - run.started,
        time.process_time() - run.cpu_started,
        frozenset(run.acknowledged),
    )
