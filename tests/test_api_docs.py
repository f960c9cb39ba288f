"""docs/api.md and the reference server's /openapi.json state the same contract: the same
operations, the same sign-in for each, the same statuses; and the document is a contract
(reply schemas, problem+json errors, security schemes, no 422 that the server never sends)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reference_server.app import create_app
from reference_server.backend import Backend
from reference_server.lrs_proxy import PATH as LRS_PROXY
from reference_server.lrs_proxy import UpstreamLrs

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
_ROW = re.compile(r"^\| (GET|HEAD|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$")
Operation = tuple[str, str]
UPSTREAM = UpstreamLrs("http://127.0.0.1:9/xapi", "rounds", "not-sent")  # never reached


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    opened = Backend.open(tmp_path_factory.mktemp("api-docs") / "data", None)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def contract(backend: Backend) -> dict[str, Any]:
    """The document of a server with every optional part on (the LRS proxy), so the table's
    rows for those parts are checked too."""
    return create_app(backend, lrs_upstream=UPSTREAM).openapi()


def documented_rows(text: str) -> dict[Operation, tuple[str, set[str]]]:
    """The endpoint table of docs/api.md: (method, path) -> (sign-in, statuses)."""
    rows: dict[Operation, tuple[str, set[str]]] = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if match:
            method, path, sign_in, statuses = match.groups()
            assert (method, path) not in rows, f"{method} {path} is listed twice"
            rows[(method, path)] = (sign_in.strip(), {s.strip() for s in statuses.split(",")})
    return rows


def _operations(contract: dict[str, Any]) -> Iterator[tuple[Operation, dict[str, Any]]]:
    for path, operations in contract["paths"].items():
        for method, operation in operations.items():
            yield (method.upper(), path), operation


def _sign_in(operation: dict[str, Any]) -> str:
    schemes = [name for requirement in operation.get("security", []) for name in requirement]
    return " or ".join(schemes) or "none"


def test_the_endpoint_table_is_found() -> None:
    rows = documented_rows(API_DOC.read_text(encoding="utf-8"))
    assert ("POST", "/api/v1/auth/token") in rows
    assert rows[("GET", "/api/v1/sync/catalog")] == ("bearer", {"200", "400", "401"})


def test_docs_and_openapi_name_the_same_operations(contract: dict[str, Any]) -> None:
    rows = documented_rows(API_DOC.read_text(encoding="utf-8"))
    served = {key for key, _ in _operations(contract)}
    assert sorted(served - set(rows)) == [], "in /openapi.json, not in docs/api.md"
    assert sorted(set(rows) - served) == [], "in docs/api.md, not in /openapi.json"


def test_docs_and_openapi_give_the_same_statuses_and_sign_in(contract: dict[str, Any]) -> None:
    rows = documented_rows(API_DOC.read_text(encoding="utf-8"))
    for key, operation in _operations(contract):
        sign_in, statuses = rows[key]
        assert statuses == set(operation["responses"]), key
        assert sign_in == _sign_in(operation), key


def test_every_error_is_a_problem_document(contract: dict[str, Any]) -> None:
    for key, operation in _operations(contract):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                media = response["content"]["application/problem+json"]
                assert media["schema"] == {"$ref": "#/components/schemas/Problem"}, (key, status)
    assert {"type", "title", "status"} <= set(
        contract["components"]["schemas"]["Problem"]["required"]
    )


def test_no_operation_documents_the_422_it_never_sends(contract: dict[str, Any]) -> None:
    schemas = contract["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    unprocessable = {key for key, op in _operations(contract) if "422" in op["responses"]}
    assert unprocessable == {("POST", "/api/v1/checkins"), ("POST", "/api/v1/packages/signature")}


def test_every_json_reply_has_a_schema(contract: dict[str, Any]) -> None:
    for key, operation in _operations(contract):
        for status, response in operation["responses"].items():
            for media_type, content in response.get("content", {}).items():
                assert content.get("schema"), (key, status, media_type)


def test_security_schemes_are_bearer_and_basic(contract: dict[str, Any]) -> None:
    schemes = contract["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert schemes["basic"] == {**schemes["basic"], "type": "http", "scheme": "basic"}
    statements = contract["paths"]["/xapi/statements"]
    assert all(_sign_in(op) == "bearer or basic" for op in statements.values())


def test_statement_bodies_have_a_schema(contract: dict[str, Any]) -> None:
    post = contract["paths"]["/xapi/statements"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    statement, batch = schema["anyOf"]
    assert statement["required"] == ["actor", "verb", "object"]
    assert batch["items"] == statement
    names = {p["name"] for p in contract["paths"]["/xapi/statements"]["get"]["parameters"]}
    assert {"agent", "verb", "activity", "since", "limit", "ascending", "more"} <= names


@pytest.mark.parametrize("method", ["post", "put"])
def test_statement_bodies_may_be_multipart_with_the_statement_first(
    contract: dict[str, Any], method: str
) -> None:
    """Part Three 1.5.2: the statement part as application/json, then raw parts that carry
    X-Experience-API-Hash."""
    body = contract["paths"]["/xapi/statements"][method]["requestBody"]["content"]
    multipart = body["multipart/mixed"]
    assert list(multipart["schema"]["properties"]) == ["statement", "attachment"]
    assert multipart["schema"]["required"] == ["statement"]
    assert multipart["encoding"]["statement"] == {"contentType": "application/json"}
    assert "X-Experience-API-Hash" in multipart["encoding"]["attachment"]["headers"]
    json_schema = body["application/json"]["schema"]
    assert multipart["schema"]["properties"]["statement"] == json_schema


def test_the_lrs_proxy_is_documented_only_where_it_is_served(
    contract: dict[str, Any], backend: Backend
) -> None:
    """Its rows in docs/api.md are checked against a server with the proxy on (above); a
    server without one neither serves nor documents it."""
    proxied = contract["paths"][LRS_PROXY]
    assert {method: _sign_in(op) for method, op in proxied.items()} == {
        "get": "bearer",
        "post": "bearer",
    }
    assert LRS_PROXY not in create_app(backend).openapi()["paths"]
