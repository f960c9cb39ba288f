"""GET /api/v1/assets/{sha256}: content-addressed media with ETag and single byte ranges."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from starlette.responses import Response, StreamingResponse

from reference_server.asset_store import AssetStore, is_sha256
from reference_server.auth import AuthenticatedUser
from reference_server.db import Database
from reference_server.models import Asset
from reference_server.openapi import Responses, problems
from reference_server.problems import ProblemError

STREAM_CHUNK = 256 * 1024


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The requested range lies outside the file."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """A single satisfiable range, None to send the whole file, or Unsatisfiable.

    Syntactically invalid and multi-range headers are ignored, as RFC 9110 permits."""
    unit, _, spec = (header or "").partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or last.isdigit()):
        return None
    if (first and not first.isdigit()) or (last and not last.isdigit()):
        return None
    if not first:
        return _suffix_range(int(last), size)
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)


def _suffix_range(suffix: int, size: int) -> ByteRange:
    if suffix == 0 or size == 0:
        raise Unsatisfiable
    return ByteRange(max(size - suffix, 0), size - 1)


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def read_file_range(path: Path, byte_range: ByteRange) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        handle.seek(byte_range.start)
        remaining = byte_range.length
        while remaining > 0:
            chunk = handle.read(min(STREAM_CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


class AssetResponder:
    """Answers one asset request from the store and the catalog's asset table."""

    def __init__(self, db: Database, store: AssetStore) -> None:
        self._db = db
        self._store = store

    def respond(self, sha256: str, headers: dict[str, str | None], head: bool) -> Response:
        path, mime_type = self._locate(sha256)
        size = path.stat().st_size
        etag = f'"{sha256}"'
        common = {"ETag": etag, "Accept-Ranges": "bytes", "Cache-Control": "private, immutable"}
        if etag_matches(headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=common)
        byte_range = self._requested_range(headers, etag, size)
        status = 200 if byte_range is None else 206
        byte_range = byte_range or ByteRange(0, size - 1)
        common["Content-Type"] = mime_type
        common["Content-Length"] = str(max(byte_range.length, 0))
        if status == 206:
            common["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
        if head or size == 0:
            return Response(status_code=status, headers=common)
        return StreamingResponse(read_file_range(path, byte_range), status, headers=common)

    def _locate(self, sha256: str) -> tuple[Path, str]:
        if not is_sha256(sha256):
            raise ProblemError(404, detail="No asset has that SHA-256.")
        with self._db.read() as session:
            asset = session.get(Asset, sha256)
        path = self._store.path_of(sha256)
        if asset is None or not path.is_file():
            raise ProblemError(404, detail="No asset has that SHA-256.")
        return path, asset.mime_type

    @staticmethod
    def _requested_range(headers: dict[str, str | None], etag: str, size: int) -> ByteRange | None:
        if_range = headers.get("if-range")
        if if_range is not None and if_range.strip() != etag:
            return None
        try:
            return parse_range(headers.get("range"), size)
        except Unsatisfiable:
            raise ProblemError(
                416,
                detail=f"The asset has {size} bytes.",
                headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"},
            ) from None


def _content(description: str) -> dict[str, object]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"description": description, "content": {"*/*": binary}}


ASSET_REPLIES: Responses = {
    200: _content("The asset, with its own Content-Type"),
    206: _content("The range asked for (Content-Range)"),
    304: {"description": "If-None-Match matched: the copy the client holds is current"},
    **problems(401, 404, 416),
}


def assets_router(responder: AssetResponder, guard: Callable[..., AuthenticatedUser]) -> APIRouter:
    router = APIRouter(prefix="/api/v1/assets", tags=["assets"], dependencies=[Depends(guard)])

    @router.get(
        "/{sha256}",
        summary="Download an asset (Range and ETag supported)",
        responses=ASSET_REPLIES,
        response_class=Response,  # the asset's own media type, not JSON
    )
    def get_asset(
        sha256: str,
        range: Annotated[str | None, Header()] = None,
        if_none_match: Annotated[str | None, Header()] = None,
        if_range: Annotated[str | None, Header()] = None,
    ) -> Response:
        headers = {"range": range, "if-none-match": if_none_match, "if-range": if_range}
        return responder.respond(sha256, headers, head=False)

    @router.head("/{sha256}", include_in_schema=False)
    def head_asset(sha256: str, if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return responder.respond(sha256, {"if-none-match": if_none_match}, head=True)

    return router
