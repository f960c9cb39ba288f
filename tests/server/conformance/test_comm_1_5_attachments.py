"""xAPI 1.0.3 Part Three 1.5 Content Types (application/json and multipart/mixed) with
Part Two 2.4.11 Attachments: raw parts matched by sha2, and GET with attachments=true."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from ..testkit import Api, assert_problem
from .conftest import statement
from .multipart import Raw, attachment, multipart, read_multipart


def _send(lrs: Api, body: Any, *raws: Raw, method: str = "POST", **kwargs: Any) -> Any:
    content, content_type = multipart(body, *raws, **kwargs)
    params = {"statementId": body["id"]} if method == "PUT" else None
    return lrs.xapi(method, params=params, data=content, headers={"Content-Type": content_type})


def _absent(lrs: Api, item: dict[str, Any]) -> bool:
    return lrs.xapi("GET", params={"statementId": item["id"]}).status_code == 404


def test_1_5_1_json_with_file_url_attachments_is_accepted(lrs: Api) -> None:
    """1.5.1.s1.b2: When receiving a PUT or POST with application/json, an LRS MUST accept
    batches of Statements which contain only Attachment Objects with a populated fileUrl."""
    raw = Raw(b"not sent")
    item = statement(attachments=[attachment(raw, fileUrl="https://files.example/notes.txt")])
    assert lrs.xapi("POST", json=item).status_code == 200


def test_1_5_2_s2_b1_json_attachments_without_file_url_are_400(lrs: Api) -> None:
    """1.5.2.s2.b1: an application/json request MUST include a fileUrl for every Attachment."""
    item = statement(attachments=[attachment(Raw(b"no part"))])
    assert_problem(lrs.xapi("POST", json=item), 400)
    assert _absent(lrs, item)


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_1_5_2_s3_b4_multipart_with_parts_is_stored_and_returned(lrs: Api, method: str) -> None:
    """1.5.2.s3.b4: an LRS MUST accept batches in the multipart/mixed Transmission Format.
    2.1.3.s2.b6: with attachments=true the LRS MUST use the multipart response format and
    include all Attachments. 2.1.3.s2.b7: with false, no raw data, application/json."""
    notes = Raw(b"here is a simple attachment\r\n--not a boundary\r\n", "text/plain")
    image = Raw(bytes(range(256)) * 4, "image/png")
    item = statement(
        attachments=[
            attachment(notes, contentType="text/plain; charset=ascii"),
            attachment(image),
        ]
    )
    response = _send(lrs, item, notes, image, method=method)
    assert response.status_code == (200 if method == "POST" else 204), response.text
    plain = lrs.xapi("GET", params={"statementId": item["id"], "attachments": "false"})
    assert plain.headers["Content-Type"] == "application/json"
    got = lrs.xapi("GET", params={"statementId": item["id"], "attachments": "true"})
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("multipart/mixed")
    parts = read_multipart(got.content, got.headers["Content-Type"])
    assert parts[0][0]["content-type"] == "application/json"
    by_hash = {
        headers["x-experience-api-hash"]: (headers, content) for headers, content in parts[1:]
    }
    assert by_hash[notes.digest][1] == notes.content
    assert by_hash[image.digest][1] == image.content
    assert by_hash[image.digest][0]["content-transfer-encoding"] == "binary"
    assert by_hash[image.digest][0]["content-type"] == "image/png"


def test_1_5_2_a_batch_shares_one_part_and_lists_return_parts(lrs: Api) -> None:
    """1.5.2.s2.b2.b5: one copy of an Attachment's data serves several Statements; a
    StatementResult with attachments=true carries the parts of the statements listed."""
    raw = Raw(b"shared notes", "text/plain")
    activity = {"objectType": "Activity", "id": "https://rounds.example/activities/" + raw.digest}
    batch = [statement(object=activity, attachments=[attachment(raw)]) for _ in range(2)]
    content, content_type = multipart(batch, raw)
    response = lrs.xapi("POST", data=content, headers={"Content-Type": content_type})
    assert response.status_code == 200, response.text
    listed = lrs.xapi("GET", params={"activity": activity["id"], "attachments": "true"})
    parts = read_multipart(listed.content, listed.headers["Content-Type"])
    assert len(parts) == 2 and parts[1][1] == raw.content


def test_1_5_2_s3_b8_multipart_without_attachments_is_accepted(lrs: Api) -> None:
    """1.5.2.s3.b8: a multipart/mixed batch with no Attachment Objects is accepted."""
    item = statement()
    assert _send(lrs, item).status_code == 200


def _mismatches() -> list[tuple[str, dict[str, Any], list[Raw]]]:
    raw = Raw(b"the attachment", "text/plain")
    other = Raw(b"another", "text/plain")
    wrong_hash = Raw(b"the attachment", "text/plain", sha2=hashlib.sha256(b"x").hexdigest())
    return [
        ("missing part", attachment(raw), []),
        ("extra part", attachment(raw), [raw, other]),
        ("no hash match", attachment(raw), [other]),
        ("part hash is not its content's", attachment(wrong_hash), [wrong_hash]),
        ("length differs", attachment(raw, length=3), [raw]),
        ("contentType differs", attachment(raw, contentType="image/png"), [raw]),
        ("no Content-Transfer-Encoding", attachment(raw), [Raw(raw.content, encoding=None)]),
    ]


@pytest.mark.parametrize(("case", "described", "raws"), _mismatches(), ids=lambda v: str(v)[:30])
def test_1_5_2_s3_b5_parts_must_match_their_attachments(
    lrs: Api, case: str, described: dict[str, Any], raws: list[Raw]
) -> None:
    """1.5.2.s3.b5: an LRS MUST reject batches having Attachments that neither contain a
    fileUrl nor match a received part by hash. 1.5.2.s2.b2.b3/b4: each part after the first
    MUST carry X-Experience-API-Hash and Content-Transfer-Encoding: binary. 1.5.2.s2.b2.b7:
    part parameters and attachment properties MUST match. Nothing is stored."""
    item = statement(attachments=[described])
    assert_problem(_send(lrs, item, *raws), 400)
    assert _absent(lrs, item), case
    raw = Raw(b"the attachment", "text/plain")
    assert _send(lrs, {**item, "attachments": [attachment(raw)]}, raw).status_code == 200


def test_1_5_2_s2_b2_b1_the_first_part_is_the_json_statement(lrs: Api) -> None:
    """1.5.2.s2.b2.b1: The first part MUST contain the Statements, with type application/json."""
    item = statement()
    assert_problem(_send(lrs, item, first_type="text/plain"), 400)
    broken = lrs.xapi(
        "POST",
        data=b"--b\r\nContent-Type: application/json\r\n\r\n{}",
        headers={"Content-Type": "multipart/mixed; boundary=b"},
    )
    assert_problem(broken, 400)
    assert _absent(lrs, item)
