"""xAPI 1.0.3 Part Two 2.2 Formatting Requirements, and the special data types of section 4
(extensions, language maps, IRIs, UUIDs): each case names the requirement it breaks."""

from __future__ import annotations

from typing import Any

import pytest

from ..testkit import Api
from .conftest import ANA, statement
from .data_checks import Bad, assert_accepted, assert_all_rejected, by_requirement, nested

ACTIVITY = "https://rounds.example/lessons/l-1"
_REQUIRED = ("actor", "verb", "object")


def _with(**changes: Any) -> dict[str, Any]:
    return statement(**changes)


def _without(key: str) -> dict[str, Any]:
    item = statement()
    del item[key]
    return item


NULLS_AND_TYPES = [
    # 2.2.s2.b3: "A Statement MUST use 'actor', 'verb', and 'object'."
    *[Bad(f"2.2.s2.b3 no {key}", _without(key), f"{key} is required") for key in _REQUIRED],
    # 2.2.s4.b1.b1: "The LRS MUST reject Statements with any null values (except inside
    # extensions)."
    Bad("2.2.s4.b1.b1 null response", _with(result={"response": None}), "response"),
    Bad("2.2.s4.b1.b1 null actor name", _with(actor={**ANA, "name": None}), "actor.name"),
    Bad("2.2.s4.b1.b1 null map", nested("context.extensions", None), "extensions"),
    # 2.2.s4.b1.b2: "... with strings where numbers are required, even if those strings
    # contain numbers."
    Bad("2.2.s4.b1.b2 string number", _with(result={"score": {"raw": "7"}}), "score.raw"),
    # 2.2.s4.b1.b3: "... with strings where booleans are required ..."
    Bad("2.2.s4.b1.b3 string boolean", _with(result={"success": "true"}), "success"),
    # 2.2.s4.b1.b4: "... any non-format-following key or value, including the empty string,
    # where a string with a particular format (such as mailto IRI, UUID, or IRI) is required."
    Bad("2.2.s4.b1.b4 empty uuid", _with(id=""), "statement.id"),
    Bad("2.2.s4.b1.b4 empty iri", _with(verb={"id": ""}), "verb.id"),
    Bad("2.2.s4.b1.b4 empty mailto", _with(actor={"mbox": ""}), "actor.mbox"),
]

KEY_CASE_AND_UNKNOWN = [
    # 2.2.s4.b1.b5: "... where the case of a key does not match the case specified."
    Bad(
        "2.2.s4.b1.b5 key case agent",
        _with(actor={"objectType": "Agent", "MBOX": "mailto:ana@example.org"}),
        "actor",
    ),
    Bad(
        "2.2.s4.b1.b5 key case verb",
        _with(verb={"ID": "http://adlnet.gov/expapi/verbs/completed"}),
        "verb",
    ),
    Bad(
        "2.2.s4.b1.b5 key case context activities",
        nested("context.contextActivities", {"Parent": [{"id": ACTIVITY}]}),
        "contextActivities",
    ),
    # 2.2.s4.b1.b7: "... where a key or value is not allowed by this specification" (at every
    # level but inside extensions).
    Bad("2.2.s4.b1.b7 statement extra", _with(extra=True), "statement"),
    Bad("2.2.s4.b1.b7 actor extra", _with(actor={**ANA, "age": 30}), "actor"),
    Bad(
        "2.2.s4.b1.b7 account extra",
        _with(
            actor={"objectType": "Agent", "account": {"homePage": ACTIVITY, "name": "a", "x": 1}}
        ),
        "account",
    ),
    Bad(
        "2.2.s4.b1.b7 verb extra",
        _with(verb={"id": "http://adlnet.gov/expapi/verbs/completed", "definition": {}}),
        "verb",
    ),
    Bad("2.2.s4.b1.b7 object extra", _with(object={"id": ACTIVITY, "name": {"en": "x"}}), "object"),
    Bad(
        "2.2.s4.b1.b7 definition extra",
        nested("object.definition", {"title": {"en": "x"}}),
        "definition",
    ),
    Bad("2.2.s4.b1.b7 result extra", _with(result={"grade": "A"}), "result"),
    Bad("2.2.s4.b1.b7 score extra", _with(result={"score": {"percent": 3}}), "score"),
    Bad("2.2.s4.b1.b7 context extra", _with(context={"room": "4B"}), "context"),
    Bad(
        "2.2.s4.b1.b7 statement ref extra",
        nested(
            "context.statement", {"objectType": "StatementRef", "id": statement()["id"], "x": 1}
        ),
        "context.statement",
    ),
]

IRIS = [
    # 2.2.s4.b1.b8: "... containing IRL or IRI values without a scheme."
    Bad("2.2.s4.b1.b8 verb no scheme", _with(verb={"id": "completed"}), "verb.id"),
    Bad("2.2.s4.b1.b8 relative", _with(object={"id": "/lessons/1"}), "object.id"),
    Bad("2.2.s4.b1.b8 type", nested("object.definition.type", "lesson"), "definition.type"),
    Bad(
        "2.2.s4.b1.b8 more info",
        nested("object.definition.moreInfo", "www.example.org"),
        "moreInfo",
    ),
    Bad(
        "2.2.s4.b1.b8 home page",
        _with(actor={"account": {"homePage": "example.org", "name": "ana"}}),
        "homePage",
    ),
    Bad("2.2.s4.b1.b8 openid", _with(actor={"openid": "ana"}), "openid"),
    # 3.1 / 4.3: an IRI holds no spaces and only %HH escapes.
    Bad("4.3 iri space", _with(object={"id": "https://rounds.example/a lesson"}), "object.id"),
    Bad("4.3 iri bad escape", _with(object={"id": "https://rounds.example/%zz"}), "object.id"),
]

LANGUAGE_MAPS = [
    # 2.2.s4.b2: "The LRS MUST at least validate that the sequence of token lengths for
    # language map keys matches the RFC 5646 standard."
    Bad(
        "2.2.s4.b2 underscore",
        _with(verb={"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en_US": "x"}}),
        "verb.display",
    ),
    Bad(
        "2.2.s4.b2 one letter",
        _with(verb={"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"e": "x"}}),
        "verb.display",
    ),
    Bad("2.2.s4.b2 trailing", nested("object.definition.name", {"en-": "x"}), "definition.name"),
    Bad(
        "2.2.s4.b2 two regions",
        nested("object.definition.description", {"de-419-DE": "x"}),
        "definition.description",
    ),
    Bad(
        "2.2.s4.b2 nine letters",
        nested("object.definition.name", {"abcdefghi": "x"}),
        "definition.name",
    ),
    Bad(
        "2.2.s4.b2 repeated singleton",
        nested("object.definition.name", {"en-a-bbb-a-ccc": "x"}),
        "definition.name",
    ),
    Bad("4.2 value string", nested("object.definition.name", {"en": 5}), "definition.name.en"),
    Bad("4.2 not map", nested("object.definition.name", "Lesson"), "definition.name"),
    # 2.4.6.s3 table: context.language is an RFC 5646 tag.
    Bad("2.4.6 language", nested("context.language", "en_GB"), "context.language"),
]

EXTENSIONS_AND_UUIDS = [
    # 4.1.s3.b1: "The keys of an extensions map MUST be IRIs."
    Bad("4.1.s3.b1 result", nested("result.extensions", {"progress": 1}), "result.extensions"),
    Bad("4.1.s3.b1 context", nested("context.extensions", {"": 1}), "context.extensions"),
    Bad(
        "4.1.s3.b1 activity",
        nested("object.definition.extensions", {"page": 1}),
        "definition.extensions",
    ),
    # 4.4: "UUIDs MUST be in the standard string form."
    Bad("4.4 id no hyphens", _with(id="0d8f7cdb00ee4c2b8a1e2f6c3b9e4d11"), "statement.id"),
    Bad("4.4 id braces", _with(id="{0d8f7cdb-00ee-4c2b-8a1e-2f6c3b9e4d11}"), "statement.id"),
    Bad(
        "4.4 registration urn",
        nested("context.registration", "urn:uuid:0d8f7cdb-00ee-4c2b-8a1e-2f6c3b9e4d11"),
        "context.registration",
    ),
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "cases",
    by_requirement(
        NULLS_AND_TYPES + KEY_CASE_AND_UNKNOWN + IRIS + LANGUAGE_MAPS + EXTENSIONS_AND_UUIDS
    ),
)
def test_refused_with_400_and_not_stored(lrs: Api, cases: list[Bad]) -> None:
    assert_all_rejected(lrs, cases)


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "tag", ["en", "es-MX", "zh-Hant-TW", "de-CH-1996", "sr-Latn-RS", "es-419", "und", "i-klingon"]
)
def test_well_formed_language_tags_are_taken(lrs: Api, tag: str) -> None:
    """2.2.s4.b2 and 4.2: every well-formed RFC 5646 tag is a language map key."""
    verb = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {tag: "completed"}}
    assert assert_accepted(lrs, statement(verb=verb))["verb"]["display"] == {tag: "completed"}


def test_extension_values_are_never_a_reason_to_refuse(lrs: Api) -> None:
    """4.1.s3.b2: "An LRS MUST NOT reject a Statement based on the values of the extensions
    map" (nulls and unknown keys inside them included, 2.2.s4.b1.b1)."""
    odd = {"https://rounds.example/x/anything": {"nested": None, "Whatever": [1, "two", None]}}
    item = nested("result.extensions", odd)
    assert assert_accepted(lrs, item)["result"]["extensions"] == odd


def test_iris_with_fragments_and_non_ascii_are_taken(lrs: Api) -> None:
    """3.1 / 4.3: IRIs may hold an anchor and characters outside ASCII."""
    verb = {"id": "http://example.com/xapi/verbs#defenestrated"}
    activity = {"id": "http://example.com/فعل/خواندن"}
    stored = assert_accepted(lrs, statement(verb=verb, object=activity))
    assert (stored["verb"]["id"], stored["object"]["id"]) == (verb["id"], activity["id"])
