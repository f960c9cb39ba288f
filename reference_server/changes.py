"""The global change sequence that orders every document in the delta feeds."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reference_server.models import Counter

_NAME = "changes"


def next_seq(session: Session, count: int = 1) -> int:
    """Reserve `count` consecutive sequence numbers; returns the first of them.

    The row update takes a write lock that is held until commit, so numbers are handed out
    in commit order and a reader never sees a later number before an earlier one."""
    updated = session.execute(
        update(Counter).where(Counter.name == _NAME).values(value=Counter.value + count)
    )
    if not getattr(updated, "rowcount", 0):
        session.add(Counter(name=_NAME, value=count))
        session.flush()
    value = session.scalar(select(Counter.value).where(Counter.name == _NAME))
    assert value is not None
    return int(value) - count + 1
