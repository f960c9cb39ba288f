"""The reference server keeps the contract its /openapi.json states, as schemathesis finds it:
generated requests (valid ones and invalid ones) to every operation of a live server over
loopback, with schemathesis's standard checks. No server error, no status the document does
not name, no reply outside its schema or media type, invalid requests refused, and valid ones
refused only for a reason the document gives.

Valid requests may still be refused for a documented reason the schema cannot express, and
those statuses are accepted for the operations that give them: a feed cursor this server did
not issue (400), a check-in with a code that is not the venue's (422), a manifest for another
server or with files not of the course (422), a statement that breaks an xAPI data rule or
parameters the statements resource does not combine (400). An operation that takes a sign-in
must refuse the request without it, or with wrong credentials (ignored_auth).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from reference_server import ReferenceServer
from reference_server.login_limits import LoginLimits

from .testkit import PASSWORD, Api

EXAMPLES = 15
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]
REFUSED_FOR_A_REASON = {
    "GET /api/v1/sync/catalog": ["400"],
    "GET /api/v1/sync/schedule": ["400"],
    "POST /api/v1/checkins": ["422"],
    "POST /api/v1/packages/signature": ["422"],
    "POST /xapi/statements": ["400"],
    "PUT /xapi/statements": ["400"],
    "GET /xapi/statements": ["400"],
    "HEAD /xapi/statements": ["400"],
}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    ignored_auth,
]


@pytest.fixture(scope="module")
def contract_server(shared_server: ReferenceServer) -> Iterator[ReferenceServer]:
    """The module's server, where hundreds of wrong sign-ins from loopback (generated ones)
    do not lock out the test's own xAPI Basic sign-in."""
    limiter = shared_server.backend.authenticator.limiter
    kept, limiter.limits = limiter.limits, LoginLimits(per_username=10**6, per_address=10**6)
    yield shared_server
    limiter.limits = kept


@pytest.fixture(scope="module")
def contract(contract_server: ReferenceServer) -> Any:
    """The served document, with the learner's sign-in for the operations that take one: the
    bearer token, and HTTP Basic for the xAPI statements resource, as an xAPI client signs in."""
    api = Api(contract_server.url, "ana")
    token = api.tokens["access_token"]
    api.close()
    url = contract_server.url + "/openapi.json"
    return schemathesis.openapi.from_url(url, config=_config(token), timeout=30)


def _accepting(statuses: list[str]) -> dict[str, Any]:
    return {"positive_data_acceptance": {"expected-statuses": statuses}}


def _config(token: str) -> SchemathesisConfig:
    """Valid requests accepted, or refused only as the operation documents."""
    operations = [
        {"include-name": label, "checks": _accepting(ACCEPTED + more)}
        for label, more in REFUSED_FOR_A_REASON.items()
    ]
    basic = {"basic": {"username": "ana", "password": PASSWORD}}  # as an xAPI client signs in
    operations.append({"include-path-regex": "^/xapi/", "auth": basic})
    auth = {"openapi": {"bearer": {"bearer": token}}}
    return SchemathesisConfig.from_dict(
        {"checks": _accepting(ACCEPTED), "operations": operations, "auth": auth}
    )


@pytest.mark.backend_neutral  # the HTTP layer and its document; storage is tested on both
def test_the_server_keeps_its_openapi_contract(contract: Any) -> None:
    """Each operation with its documented examples, then valid and invalid requests; every
    failure is reported."""
    failures = []
    for result in contract.get_all_operations():
        operation = result.ok()
        examples = contract.get_strategies_from_examples(operation)
        if examples:
            failures.append(_check(operation, st.one_of(examples), "examples"))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.append(_check(operation, operation.as_strategy(mode), mode.value))
    assert not any(failures), "\n\n".join(filter(None, failures))


def _check(operation: Any, cases: Any, kind: str) -> str:
    """What schemathesis found wrong with the operation's `kind` of cases, or ""."""

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(timeout=30)
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid: an operation without parameters or body
        return ""
    except (AssertionError, BaseExceptionGroup) as failure:  # with the request to repeat it
        return f"{operation.label} ({kind}): {failure}"
    return ""
