"""GET /api/v1/sync/catalog and /api/v1/sync/schedule: paged delta feeds with opaque cursors."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from reference_server.auth import AuthenticatedUser
from reference_server.badges import BadgeSigner
from reference_server.cursors import CursorCodec, InvalidCursor
from reference_server.db import Database
from reference_server.documents import Page, catalog_page, schedule_page
from reference_server.jsonresponse import json_response
from reference_server.openapi import problems, reply
from reference_server.problems import ProblemError
from reference_server.schemas import CatalogPage, SchedulePage

CATALOG, SCHEDULE = "catalog", "schedule"


class FeedCursors:
    """A cursor names a feed, a place in the change sequence and, for the schedule, a user."""

    def __init__(self, codec: CursorCodec) -> None:
        self._codec = codec

    def issue(self, feed: str, seq: int, user_id: str | None = None) -> str:
        payload: dict[str, Any] = {"f": feed, "s": seq}
        if user_id is not None:
            payload["u"] = user_id
        return self._codec.encode(payload)

    def position(self, token: str | None, feed: str, user_id: str | None = None) -> int:
        if not token:
            return 0
        try:
            payload = self._codec.decode(token)
        except InvalidCursor:
            raise _unknown_cursor() from None
        seq = payload.get("s")
        if payload.get("f") != feed or payload.get("u") != user_id or not isinstance(seq, int):
            raise _unknown_cursor()
        return seq


def _unknown_cursor() -> ProblemError:
    return ProblemError(
        400, "unknown-cursor", "The cursor was not issued by this server for this feed."
    )


def _answer(page: Page, cursors: FeedCursors, feed: str, after: int, user: str | None) -> Response:
    seq = page.last_seq if page.last_seq is not None else after
    document = {
        "items": page.items,
        "next_cursor": cursors.issue(feed, seq, user),
        "has_more": page.has_more,
    }
    return json_response(document, headers={"Cache-Control": "no-store"})


CursorParam = Annotated[str | None, Query(max_length=2048)]
LimitParam = Annotated[int, Query(ge=1, le=500)]


def feeds_router(
    db: Database,
    cursors: FeedCursors,
    signer: BadgeSigner,
    guard: Callable[..., AuthenticatedUser],
) -> APIRouter:
    router = APIRouter(prefix="/api/v1/sync", tags=["sync"])

    @router.get(
        "/catalog",
        summary="Courses changed since the cursor; tombstones for removals",
        responses={**reply(CatalogPage, "A page of the catalog"), **problems(400, 401)},
    )
    def catalog(
        _user: Annotated[AuthenticatedUser, Depends(guard)],
        cursor: CursorParam = None,
        limit: LimitParam = 100,
    ) -> Response:
        after = cursors.position(cursor, CATALOG)
        with db.read() as session:
            page = catalog_page(session, after, limit)
        return _answer(page, cursors, CATALOG, after, None)

    @router.get(
        "/schedule",
        summary="The user's residencies changed since the cursor",
        responses={**reply(SchedulePage, "A page of the schedule"), **problems(400, 401)},
    )
    def schedule(
        user: Annotated[AuthenticatedUser, Depends(guard)],
        cursor: CursorParam = None,
        limit: LimitParam = 100,
    ) -> Response:
        after = cursors.position(cursor, SCHEDULE, user.id)
        with db.read() as session:
            page = schedule_page(session, user, after, limit, signer)
        return _answer(page, cursors, SCHEDULE, after, user.id)

    return router
