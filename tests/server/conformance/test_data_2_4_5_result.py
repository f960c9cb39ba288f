"""xAPI 1.0.3 Part Two 2.4.5 Result, 2.4.5.1 Score and 4.6 ISO 8601 Durations: each case
names the requirement it breaks."""

from __future__ import annotations

from typing import Any

import pytest

from ..testkit import Api
from .conftest import statement
from .data_checks import Bad, assert_accepted, assert_all_rejected, by_requirement


def _score(**score: Any) -> dict[str, Any]:
    return statement(result={"score": score})


def _duration(value: Any) -> dict[str, Any]:
    return statement(result={"duration": value})


RESULTS = [
    # 2.4.5.s2.table1: success and completion are Booleans, response a String.
    Bad("2.4.5.s2.table1 completion a number", statement(result={"completion": 1}), "completion"),
    Bad("2.4.5.s2.table1 response a list", statement(result={"response": ["a"]}), "response"),
    Bad("2.4.5.s2.table1 not an object", statement(result=True), "result"),
    # 2.4.5.1.s2.table1.row1: scaled is a "Decimal number between -1 and 1, inclusive".
    Bad("2.4.5.1.s2.table1.row1 above 1", _score(scaled=1.01), "score.scaled"),
    Bad("2.4.5.1.s2.table1.row1 below -1", _score(scaled=-1.5), "score.scaled"),
    Bad("2.4.5.1.s2.table1.row1 a boolean", _score(scaled=True), "score.scaled"),
    # 2.4.5.1.s2.table1.row2: raw is "between min and max (if present) ... inclusive".
    Bad("2.4.5.1.s2.table1.row2 above max", _score(raw=11, min=0, max=10), "score.raw"),
    Bad("2.4.5.1.s2.table1.row2 below min", _score(raw=-1, min=0), "score.raw"),
    # 2.4.5.1.s2.table1.row3/row4: min is "less than max", max "greater than min".
    Bad("2.4.5.1.s2.table1.row3 min above max", _score(min=10, max=0), "min must be less"),
    Bad("2.4.5.1.s2.table1.row3 min equal to max", _score(min=5, max=5), "min must be less"),
    # 4.6.s1.b1: "A Duration MUST be expressed using the format for Duration in ISO
    # 8601:2004(E) section 4.4.3.2. The alternative format ... MUST NOT be used."
    Bad("4.6.s1.b1 weeks with days", _duration("P4W1D"), "duration"),
    Bad("4.6.s1.b1 weeks with time", _duration("P1WT2H"), "duration"),
    Bad("4.6.s1.b1 alternative format", _duration("P0003-06-04T12:30:05"), "duration"),
    Bad("4.6.s1.b1 no designator", _duration("P"), "duration"),
    Bad("4.6.s1.b1 empty time", _duration("P1DT"), "duration"),
    Bad("4.6.s1.b1 seconds without T", _duration("P16559.14S"), "duration"),
    Bad("4.6.s1.b1 fraction not last", _duration("PT1.5H30M"), "duration"),
    Bad("4.6.s1.b1 negative", _duration("-PT5S"), "duration"),
    Bad("4.6.s1.b1 lowercase", _duration("pt5s"), "duration"),
    Bad("4.6.s1.b1 a number", _duration(30), "duration"),
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("cases", by_requirement(RESULTS))
def test_refused_with_400_and_not_stored(lrs: Api, cases: list[Bad]) -> None:
    assert_all_rejected(lrs, cases)


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "value",
    ["PT4H35M59.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W", "PT0S", "PT1.5H", "P0.5D", "PT0,5S"],
)
def test_iso_8601_durations_are_taken_as_sent(lrs: Api, value: str) -> None:
    """4.6 and 2.3.1.b8: a Duration in the 4.4.3.2 format is stored as the string it was."""
    assert assert_accepted(lrs, _duration(value))["result"]["duration"] == value


def test_a_full_result_keeps_its_numbers(lrs: Api) -> None:
    """2.4.5.1 and 2.2.s4.b3: scores at their limits (raw equal to min or max, scaled -1 and
    1) are taken, and numbers keep at least single precision."""
    for score in (
        {"scaled": -1, "raw": 0, "min": 0, "max": 10},
        {"scaled": 1, "raw": 10, "max": 10},
    ):
        assert_accepted(lrs, statement(result={"score": score}))
    result = {
        "score": {"scaled": 0.123456, "raw": 12.5, "min": -3.25, "max": 20},
        "success": False,
        "completion": True,
        "response": "a[,]b",
        "duration": "PT1M",
        "extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 100},
    }
    assert assert_accepted(lrs, statement(result=result))["result"] == result
