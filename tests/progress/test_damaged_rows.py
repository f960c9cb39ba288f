"""A statement row damaged in the cache (text that does not parse, an object without what the
lesson's state is made of) is told to the learner as damaged data, with what to do, instead of
the parser's words; the detail goes to the log."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from progress_samples import VIDEO
from sqlalchemy import update

from desktop_app.error_text import DAMAGED_ROW, describe
from desktop_app.models import ProgressEvent
from desktop_app.progress import ProgressLog
from desktop_app.progress.validation import DamagedStatementError

DETAIL = pytest.mark.expect_log("desktop_app.error_text", "Damaged data in the cache")


Damage = Callable[[str], str]


def without_timestamp(text: str) -> str:
    statement = json.loads(text)
    del statement["timestamp"]
    return json.dumps(statement)


def damage(log: ProgressLog, damaged: Damage) -> None:
    with log.db.session() as session:
        statement_id = log.completed(session, VIDEO)
        row = session.get(ProgressEvent, statement_id)
        assert row is not None
        text = damaged(row.statement_json)
    with log.db.session() as session:
        where = ProgressEvent.id == statement_id
        session.execute(update(ProgressEvent).where(where).values(statement_json=text))


@DETAIL
@pytest.mark.parametrize(
    "damaged",
    [lambda text: text[:40], lambda text: "[1, 2]", without_timestamp],
    ids=["not JSON", "not an object", "breaks the model's rules"],
)
def test_a_damaged_row_says_what_to_do_and_logs_the_detail(
    log: ProgressLog, damaged: Damage, caplog: pytest.LogCaptureFixture
) -> None:
    damage(log, damaged)
    with pytest.raises(DamagedStatementError) as raised:
        log.lesson_state(VIDEO.lesson_id)

    report = describe(raised.value)

    assert report.message == DAMAGED_ROW and not report.offline
    assert "Save diagnostics" in report.message and "Expecting" not in report.message
    assert str(raised.value) in caplog.text  # the parser's words stay in the log
