"""xAPI 1.0.3 Part Two 2.4.11 Attachments: the shape of the Attachment objects in a statement
(matching them with the request's parts is Part Three's, in test_comm_*)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from ..testkit import Api
from .conftest import statement
from .data_checks import Bad, assert_accepted, assert_all_rejected, by_requirement

CERTIFICATE = "http://id.tincanapi.com/attachment/certificate-of-completion"
PAYLOAD = b"Rounds certificate"


def _attachment(**changes: Any) -> dict[str, Any]:
    """A fileUrl-only attachment (no part to send), with `changes`; None removes a property."""
    attachment: dict[str, Any] = {
        "usageType": CERTIFICATE,
        "display": {"en-US": "Certificate"},
        "contentType": "text/plain",
        "length": len(PAYLOAD),
        "sha2": hashlib.sha256(PAYLOAD).hexdigest(),
        "fileUrl": "https://rounds.example/certificates/1.txt",
    }
    attachment.update(changes)
    return {key: value for key, value in attachment.items() if value is not None}


def _with(**changes: Any) -> dict[str, Any]:
    return statement(attachments=[_attachment(**changes)])


SHAPES = [
    Bad("2.4.11.s2.table1 not an array", statement(attachments=_attachment()), "attachments"),
    Bad("2.4.11.s2.table1 unknown property", _with(size=3), "attachments[0]"),
    # 2.4.11.s2.table1.row1: usageType, an IRI, is required.
    Bad("2.4.11.s2.table1.row1 usageType missing", _with(usageType=None), "usageType"),
    Bad("2.4.11.s2.table1.row1 usageType not an IRI", _with(usageType="certificate"), "usageType"),
    # row2/row3: display (required) and description are language maps.
    Bad("2.4.11.s2.table1.row2 display missing", _with(display=None), "display"),
    Bad("2.4.11.s2.table1.row2 display a string", _with(display="Certificate"), "display"),
    Bad("2.4.11.s2.table1.row3 description keys", _with(description={"en_US": "x"}), "description"),
    # row4: contentType, an Internet Media Type, is required.
    Bad("2.4.11.s2.table1.row4 contentType missing", _with(contentType=None), "contentType"),
    Bad("2.4.11.s2.table1.row4 contentType not a type", _with(contentType="text"), "contentType"),
    Bad("2.4.11.s2.table1.row4 contentType a number", _with(contentType=7), "contentType"),
    # row5: length, an Integer, is required.
    Bad("2.4.11.s2.table1.row5 length missing", _with(length=None), "length"),
    Bad("2.4.11.s2.table1.row5 length a string", _with(length="18"), "length"),
    Bad("2.4.11.s2.table1.row5 length a fraction", _with(length=18.5), "length"),
    Bad("2.4.11.s2.table1.row5 length negative", _with(length=-1), "length"),
    # row6: sha2, "always required, even if fileURL is also specified".
    Bad("2.4.11.s2.table1.row6 sha2 missing", _with(sha2=None), "sha2"),
    Bad("2.4.11.s2.table1.row6 sha2 not hex", _with(sha2="not-a-digest"), "sha2"),
    Bad(
        "2.4.11.s2.table1.row6 sha2 a SHA-1", _with(sha2=hashlib.sha1(PAYLOAD).hexdigest()), "sha2"
    ),
    # row7: fileUrl is an IRL.
    Bad("2.4.11.s2.table1.row7 fileUrl relative", _with(fileUrl="certificates/1.txt"), "fileUrl"),
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("cases", by_requirement(SHAPES))
def test_refused_with_400_and_not_stored(lrs: Api, cases: list[Bad]) -> None:
    assert_all_rejected(lrs, cases)


def test_a_file_url_attachment_is_taken(lrs: Api) -> None:
    """2.4.11.s2: an Attachment with every property in its valid form and its data at
    fileUrl, so the request needs no part for it."""
    attachment = _attachment(
        description={"en-US": "Completion"}, contentType="text/plain; charset=utf-8"
    )
    stored = assert_accepted(lrs, statement(attachments=[attachment]))
    assert stored["attachments"] == [attachment]
