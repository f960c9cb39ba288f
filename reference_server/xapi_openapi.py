"""How the OpenAPI document describes the xAPI statements resource: the Statement (loosely, as
Part Two allows: the server checks the data rules a schema cannot say, such as IRIs, language
tags and interaction components, and answers 400 naming the rule), the query parameters of
Part Three 2.1.3, and the replies. The routes read the request themselves, so all of this is
documentation passed to their decorators as `openapi_extra` and `responses`."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from reference_server.openapi import Responses, problems

_OBJECT: dict[str, Any] = {"type": "object"}
_TIME = {"type": "string", "description": "ISO 8601 timestamp with a time zone"}
_UUID = {"type": "string", "format": "uuid"}
_BOOLEAN = {"type": "string", "enum": ["true", "false"], "default": "false"}

STATEMENT: dict[str, Any] = {
    "title": "Statement",
    "type": "object",
    "description": "An xAPI 1.0.3 Statement (Part Two 2.2). Properties other than these are "
    "refused; the server sets stored and authority.",
    "required": ["actor", "verb", "object"],
    "properties": {
        "id": _UUID,
        "actor": {**_OBJECT, "description": "An Agent or a Group"},
        "verb": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "display": _OBJECT},
        },
        "object": {
            **_OBJECT,
            "description": "Activity, Agent, Group, StatementRef or SubStatement",
        },
        "result": _OBJECT,
        "context": _OBJECT,
        "timestamp": _TIME,
        "stored": _TIME,
        "authority": _OBJECT,
        "version": {"type": "string", "pattern": r"^1\.0(\.\d+)?$"},
        "attachments": {"type": "array", "items": _OBJECT},
    },
    "additionalProperties": False,
}

_VERSION_HEADER = {
    "name": "X-Experience-API-Version",
    "in": "header",
    "required": True,
    "example": "1.0.3",
    "description": "The xAPI version the client speaks: 1.0 or 1.0.x",
    "schema": {"type": "string", "pattern": r"^1\.0(\.[0-9]+)?$"},
}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


_GET_PARAMETERS = [
    _VERSION_HEADER,
    _query("statementId", _UUID, "One statement (only with attachments and format)"),
    _query("voidedStatementId", _UUID, "One voided statement (only with attachments, format)"),
    _query("agent", {"type": "string"}, "A JSON Agent or Identified Group"),
    _query("verb", {"type": "string"}, "A verb IRI"),
    _query("activity", {"type": "string"}, "An activity IRI"),
    _query("registration", _UUID, "A registration"),
    _query("related_activities", _BOOLEAN, "Match activity anywhere in the statement"),
    _query("related_agents", _BOOLEAN, "Match agent anywhere in the statement"),
    _query("since", _TIME, "Stored after this time"),
    _query("until", _TIME, "Stored at or before this time"),
    _query("limit", {"type": "integer", "minimum": 0}, "At most this many (0: the most)"),
    _query(
        "format",
        {"type": "string", "enum": ["ids", "exact", "canonical"]},
        "How agents, activities and language maps are given",
    ),
    _query("attachments", _BOOLEAN, "Reply multipart/mixed with the attachments' content"),
    _query("ascending", _BOOLEAN, "Oldest stored first"),
    _query("more", {"type": "string"}, "A `more` link's token (nothing else with it)"),
]

EXAMPLE_STATEMENT = {
    "id": "7ad3e0f4-51b6-4c1d-9b53-3a4a8d1f4c20",
    "actor": {"objectType": "Agent", "mbox": "mailto:ana@example.org", "name": "Ana Ortiz"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
    "object": {"objectType": "Activity", "id": "https://learning.example.org/course/c-1"},
    "timestamp": "2026-11-20T10:00:00Z",
}
_STATEMENTS = {"anyOf": [STATEMENT, {"type": "array", "items": STATEMENT, "minItems": 1}]}
_PART_HEADERS = {
    "X-Experience-API-Hash": {
        "description": "The SHA-2 (hex) of the part's content: the attachment's sha2",
        "schema": {"type": "string"},
    },
    "Content-Transfer-Encoding": {"schema": {"type": "string", "enum": ["binary"]}},
}


def _multipart(statements: dict[str, Any], example: Any) -> dict[str, Any]:
    """Part Three 1.5.2: the statement part first (application/json), then one part of raw
    content for each attachment without a fileUrl, matched to it by X-Experience-API-Hash.
    A signature attachment (usageType .../attachments/signature, application/octet-stream)
    is a JWS of the statement; one that does not verify is refused with 400."""
    return {
        "schema": {
            "type": "object",
            "required": ["statement"],
            "properties": {
                "statement": statements,
                "attachment": {"type": "string", "format": "binary"},
            },
            "additionalProperties": False,
        },
        "example": {"statement": example},
        "encoding": {
            "statement": {"contentType": "application/json"},
            "attachment": {"contentType": "application/octet-stream", "headers": _PART_HEADERS},
        },
    }


_BODY: dict[str, Any] = {
    "required": True,
    "description": "JSON, or multipart/mixed when attachments carry their content",
    "content": {
        "application/json": {"schema": _STATEMENTS, "example": EXAMPLE_STATEMENT},
        "multipart/mixed": _multipart(_STATEMENTS, [EXAMPLE_STATEMENT]),
    },
}

_RESULT = {
    "title": "StatementResult",
    "type": "object",
    "required": ["statements", "more"],
    "properties": {
        "statements": {"type": "array", "items": STATEMENT},
        "more": {"type": "string", "description": "A relative URL, or empty at the end"},
    },
}
_WHY_400 = (
    "Refused by an xAPI 1.0.3 rule (see detail): a data rule of Part Two the schema does not "
    "express, parameters the resource does not combine, or a multipart request out of order"
)
_400 = {400: {**problems(400)[400], "description": _WHY_400}}

POST: dict[str, Any] = {
    "openapi_extra": {"parameters": [_VERSION_HEADER], "requestBody": _BODY},
    "responses": {
        200: {
            "description": "The ids of the statements, in the order sent",
            "content": {"application/json": {"schema": {"type": "array", "items": _UUID}}},
        },
        **problems(401, 409, 413, 429),
        **_400,
    },
}
_SINGLE_BODY = {
    **_BODY,
    "content": {
        "application/json": {"schema": STATEMENT, "example": EXAMPLE_STATEMENT},
        "multipart/mixed": _multipart(STATEMENT, EXAMPLE_STATEMENT),
    },
}
_STATEMENT_ID = {
    **_query("statementId", _UUID, "The statement's id"),
    "required": True,
    "example": EXAMPLE_STATEMENT["id"],
}
PUT: dict[str, Any] = {
    "openapi_extra": {
        "parameters": [_VERSION_HEADER, _STATEMENT_ID],
        "requestBody": _SINGLE_BODY,
    },
    "responses": {204: {"description": "Stored"}, **problems(401, 409, 413, 429), **_400},
}
_FOUND: Responses = {
    200: {
        "description": "A StatementResult, or the statement asked for by id; multipart/mixed "
        "with attachments=true",
        "content": {
            "application/json": {"schema": {"anyOf": [_RESULT, STATEMENT]}},
            "multipart/mixed": {"schema": {"type": "string", "format": "binary"}},
        },
    },
}
GET: dict[str, Any] = {
    "openapi_extra": {"parameters": _GET_PARAMETERS},
    "responses": {**_FOUND, **problems(401, 404, 429), **_400},
}
HEAD: dict[str, Any] = {
    "openapi_extra": {"parameters": _GET_PARAMETERS},
    "response_class": Response,  # headers only
    "responses": {
        200: {"description": "The headers a GET would answer with"},
        **problems(401, 404, 429),
        **_400,
    },
}
ABOUT: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The xAPI versions and the resources served",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["version"],
                        "properties": {
                            "version": {"type": "array", "items": {"type": "string"}},
                            "extensions": _OBJECT,
                        },
                    }
                }
            },
        }
    }
}

_PROXIED = (
    "The organisation's LRS answered; its status and JSON body are passed back (a refusal "
    "there, such as a 409, comes back as the LRS gave it)"
)
_UPSTREAM = {
    502: {**problems(502)[502], "description": "The LRS could not be reached or gave no JSON"}
}
_JSON_BODY = {
    **_BODY,
    "description": "One statement or a batch, as JSON; passed on byte for byte",
    "content": {"application/json": _BODY["content"]["application/json"]},
}
_NOT_PROXIED = ("statementId", "voidedStatementId", "X-Experience-API-Version")
LRS_POST: dict[str, Any] = {
    "openapi_extra": {"requestBody": _JSON_BODY},
    "responses": {
        200: {
            "description": f"The ids of the statements. {_PROXIED}",
            "content": {"application/json": {"schema": {"type": "array", "items": _UUID}}},
        },
        400: {
            **problems(400)[400],
            "description": "A statement names someone other than the signed-in learner, or "
            "the body is not statements; nothing is sent to the LRS",
        },
        **problems(401, 413),
        **_UPSTREAM,
    },
}
LRS_GET: dict[str, Any] = {
    "openapi_extra": {"parameters": [p for p in _GET_PARAMETERS if p["name"] not in _NOT_PROXIED]},
    "responses": {
        200: {
            "description": f"The learner's own statements. {_PROXIED}",
            "content": {"application/json": {"schema": _RESULT}},
        },
        400: {
            **problems(400)[400],
            "description": "statementId or voidedStatementId (single statements are not served "
            "here), or a more link this server did not give",
        },
        **problems(401),
        **_UPSTREAM,
    },
}
