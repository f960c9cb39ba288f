"""xAPI 1.0.3 Part Three, 1.0 Requests and 3.3 Versioning: HEAD, the version and
consistent-through headers on every reply, and the Alternate Request Syntax."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import requests

from reference_server import ReferenceServer

from ..testkit import PASSWORD, Api, assert_problem
from .conftest import VERSION, agent_param, statement

URL = "/xapi/statements"


def _form(**fields: str) -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded", **fields}


def test_1_1_s3_b1_head_answers_as_get_without_a_body(lrs: Api) -> None:
    """1.1.s3.b1: The LRS MUST respond to any HTTP HEAD request as it would have responded to
    an otherwise identical HTTP GET request except: the message-body MUST be omitted."""
    item = statement()
    assert lrs.xapi("POST", json=item).status_code == 200
    params = {"statementId": item["id"]}
    got, head = lrs.xapi("GET", params=params), lrs.xapi("HEAD", params=params)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["Last-Modified"] == got.headers["Last-Modified"]
    assert head.headers["X-Experience-API-Version"] == "1.0.3"
    assert "X-Experience-API-Consistent-Through" in head.headers
    assert lrs.xapi("HEAD", params={"agent": agent_param()}).status_code == 200
    missing = lrs.xapi("HEAD", params={"statementId": statement()["id"]})
    assert missing.status_code == 404 and missing.content == b""


@pytest.mark.parametrize(
    ("method", "params", "auth"),
    [
        ("GET", {}, True),
        ("GET", {"limit": "x"}, True),
        ("GET", {"statementId": "8ec3e7c5-a4ab-4a8e-a1a9-1f0c8c3f7a10"}, True),
        ("GET", {}, False),
        ("POST", {}, False),
        ("PUT", {"statementId": "nope"}, True),
    ],
    ids=["200", "400", "404", "401-get", "401-post", "400-put"],
)
def test_3_3_s3_b1_and_2_1_3_s2_b5_headers_on_every_reply(
    shared_server: ReferenceServer, lrs: Api, method: str, params: dict[str, str], auth: bool
) -> None:
    """3.3.s3.b1: The LRS MUST include the "X-Experience-API-Version" header in every response.
    2.1.3.s2.b5: The LRS MUST include the header "X-Experience-API-Consistent-Through" ... on
    all responses to Statements Resource requests."""
    headers = {**VERSION, **(lrs.auth if auth else {})}
    response = requests.request(
        method, shared_server.url + URL, params=params, headers=headers, json={}, timeout=30
    )
    assert response.status_code in (200, 400, 401, 404)
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    through = response.headers["X-Experience-API-Consistent-Through"]
    assert through.endswith("Z") and "T" in through


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.3", "1.0.9"])
def test_3_3_s3_b3_b5_versions_1_0_x_are_accepted(lrs: Api, version: str) -> None:
    """3.3.s3.b3/b5: The LRS MUST accept requests with a version header of 1.0, and with a
    version header starting with 1.0. if the request is otherwise valid."""
    response = lrs.xapi("POST", json=statement(), headers={"X-Experience-API-Version": version})
    assert response.status_code == 200


@pytest.mark.parametrize("version", [None, "0.95", "1.1.0", "2.0.0", "1.05"])
def test_3_3_s3_b4_b6_b7_other_versions_are_400(
    shared_server: ReferenceServer, lrs: Api, version: str | None
) -> None:
    """3.3.s3.b4/b4.1/b6/b7: The LRS MUST reject requests without a version header, prior to
    1.0.0, or of 1.1.0 or greater, with 400 Bad Request."""
    headers = {**lrs.auth, **({"X-Experience-API-Version": version} if version else {})}
    item = statement()
    response = requests.post(shared_server.url + URL, json=item, headers=headers, timeout=30)
    assert_problem(response, 400)
    assert lrs.xapi("GET", params={"statementId": item["id"]}).status_code == 404


def test_1_3_s3_b7_b14_alternate_syntax_put_and_get(
    shared_server: ReferenceServer, lrs: Api
) -> None:
    """1.3.s3.b7: The LRS MUST treat the form parameters listed above as header parameters.
    1.3.s3.b14: ... any form parameters other than "content" or the header parameters as query
    string parameters. 1.3.s3.b15: The LRS MUST support the syntax above."""
    item = statement()
    form = {
        "Authorization": lrs.auth["Authorization"],
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "statementId": item["id"],
        "content": json.dumps(item),
    }
    url = shared_server.url + URL
    put = requests.post(url, params={"method": "PUT"}, data=form, timeout=30)
    assert put.status_code == 204, put.text
    fetch = {key: form[key] for key in ("Authorization", "X-Experience-API-Version")}
    got = requests.post(
        url, params={"method": "GET"}, data={**fetch, "statementId": item["id"]}, timeout=30
    )
    assert got.status_code == 200 and got.json()["id"] == item["id"]
    assert "X-Experience-API-Consistent-Through" in got.headers
    listed = requests.post(
        url, params={"method": "GET"}, data={**fetch, "agent": agent_param()}, timeout=30
    )
    assert item["id"] in [found["id"] for found in listed.json()["statements"]]
    posted = statement()
    batch = {**fetch, "Content-Type": "application/json", "content": json.dumps([posted])}
    stored = requests.post(url, params={"method": "POST"}, data=batch, timeout=30)
    assert stored.status_code == 200 and stored.json() == [posted["id"]]


@pytest.mark.parametrize(
    ("query", "method"),
    [
        ({"method": "GET", "limit": "1"}, "POST"),
        ({"method": "DELETE"}, "POST"),
        ({"method": "GET"}, "GET"),
    ],
    ids=["other-query-parameter", "unknown-method", "not-post"],
)
def test_1_3_s3_b2_b3_alternate_syntax_misuse_is_400(
    shared_server: ReferenceServer, lrs: Api, query: dict[str, str], method: str
) -> None:
    """1.3.s3.b1-b3: All such requests MUST be POST, with the intended method as the "method"
    query parameter and no other query string parameters; anything else is a 400."""
    form = {**lrs.auth, **VERSION}
    url = f"{shared_server.url}{URL}?{urlencode(query)}"
    response = requests.request(method, url, data=form, headers=_form(), timeout=30)
    assert_problem(response, 400)
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


def test_1_3_alternate_syntax_credentials_in_the_form_are_checked(
    shared_server: ReferenceServer,
) -> None:
    """1.3.s3.b7: the form's Authorization is the request's, so wrong credentials are a 401."""
    form = {"Authorization": "Basic " + "YW5hOm5vcGU=", **VERSION}
    url = shared_server.url + URL + "?method=GET"
    response = requests.post(url, data=form, timeout=30)
    assert_problem(response, 401)
    good = requests.post(url, data=form, auth=("ana", PASSWORD), timeout=30)
    assert good.status_code == 401  # the form's header wins over the HTTP one


def test_2_1_3_s2_b5_a_refused_large_body_carries_the_headers_too(lrs: Api) -> None:
    """2.1.3.s2.b5 and 3.3.s3.b1 on a 413: the body limit's own reply is a reply of the
    Statements Resource too."""
    response = lrs.xapi(
        "POST", data=b" " * (6 * 1024 * 1024), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413)
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    assert "X-Experience-API-Consistent-Through" in response.headers
