"""The shape of Attachment objects (xAPI 1.0.3 Part Two 2.4.11); matching them with the
request's parts is the statements resource's work."""

from __future__ import annotations

import re
from typing import Any

from reference_server.xapi_rules.formats import (
    fail,
    iri,
    json_object,
    language_map,
    whole_number,
)

_KEYS = ("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl")
_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")
# RFC 2045/6838: type "/" subtype, then optional parameters.
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*(?:\s*;.*)?$")
# A SHA-224, SHA-256, SHA-384 or SHA-512 digest in hexadecimal.
_SHA2 = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$")


def validate_attachments(value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise fail(where, "must be an array of attachments")
    for index, item in enumerate(value):
        _attachment(item, f"{where}[{index}]")


def _attachment(value: Any, where: str) -> None:
    attachment = json_object(value, where, _KEYS, _REQUIRED)
    iri(attachment["usageType"], f"{where}.usageType")
    language_map(attachment["display"], f"{where}.display")
    if "description" in attachment:
        language_map(attachment["description"], f"{where}.description")
    content_type = attachment["contentType"]
    if not (isinstance(content_type, str) and _MEDIA_TYPE.match(content_type)):
        raise fail(f"{where}.contentType", "must be an Internet media type such as text/plain")
    whole_number(attachment["length"], f"{where}.length")
    if not (isinstance(attachment["sha2"], str) and _SHA2.match(attachment["sha2"])):
        raise fail(f"{where}.sha2", "must be a SHA-2 digest in hexadecimal")
    if "fileUrl" in attachment:
        iri(attachment["fileUrl"], f"{where}.fileUrl")
