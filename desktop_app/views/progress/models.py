"""The quarantine list as a Qt table model over frozen `QuarantineRow`s."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.views.progress.quarantine import QuarantineRow
from desktop_app.views.row_list import Column, FrozenRowsModel

COLUMNS = ("When", "Activity", "Lesson", "Why the server refused it")
WHEN, VERB, LESSON, REASON = range(len(COLUMNS))


def local_time(row: QuarantineRow) -> str:
    return row.occurred_at.astimezone().strftime("%d %b %Y %H:%M")


class QuarantineModel(FrozenRowsModel[QuarantineRow]):
    """Statements set aside, oldest first; the row object is under `ROW_ROLE`."""

    def __init__(self, parent: QObject | None = None) -> None:
        columns = [
            Column[QuarantineRow](COLUMNS[WHEN], local_time),
            Column[QuarantineRow](COLUMNS[VERB], lambda row: row.verb),
            Column[QuarantineRow](COLUMNS[LESSON], lambda row: row.lesson),
            Column[QuarantineRow](COLUMNS[REASON], lambda row: row.reason),
        ]
        super().__init__(columns, lambda row: row.id, parent)
