"""The global change sequence that orders every document in the delta feeds."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reference_server.models import Counter

_NAME = "changes"


def next_seq(
    session: Session, count: int = 1, name: str = _NAME, start: Callable[[], int] | None = None
) -> int:
    """Reserve `count` consecutive sequence numbers of counter `name`; returns the first.

    The row update takes a write lock that is held until commit, so numbers are handed out
    in commit order and a reader never sees a later number before an earlier one. A counter
    not made yet starts after `start()` (the highest number already used)."""
    updated = session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + count)
    )
    if not getattr(updated, "rowcount", 0):
        session.add(Counter(name=name, value=(start() if start else 0) + count))
        session.flush()  # two first writers: one fails on the key, and its unit of work reruns
    value = session.scalar(select(Counter.value).where(Counter.name == name))
    assert value is not None
    return int(value) - count + 1
