"""The global change sequence that orders every document in the delta feeds."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.orm import Session

from reference_server.models import Counter

_NAME = "changes"


def next_seq(
    session: Session, count: int = 1, name: str = _NAME, start: Callable[[], int] | None = None
) -> int:
    """Reserve `count` consecutive sequence numbers of counter `name`; returns the first.

    The row update takes a write lock that is held until commit, so numbers are handed out
    in commit order and a reader never sees a later number before an earlier one; one
    UPDATE … RETURNING both reserves and reads them. A counter not made yet starts after
    `start()` (the highest number already used)."""
    first = session.scalar(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + count)
        .returning(Counter.value - count + 1)
        .execution_options(synchronize_session=False)
    )
    if first is None:
        first = (start() if start else 0) + 1
        session.add(Counter(name=name, value=first - 1 + count))
        session.flush()  # two first writers: one fails on the key, and its unit of work reruns
    return int(first)
