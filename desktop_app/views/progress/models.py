"""The quarantine list as a Qt table model over frozen `QuarantineRow`s."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject

from desktop_app.views.i18n import format_date_time, localized
from desktop_app.views.progress.quarantine import QuarantineRow
from desktop_app.views.row_list import Column, FrozenRowsModel

WHEN, VERB, LESSON, REASON = range(4)


def local_time(row: QuarantineRow) -> str:
    return format_date_time(row.occurred_at.astimezone())


class QuarantineModel(FrozenRowsModel[QuarantineRow]):
    """Statements set aside, oldest first; the row object is under `ROW_ROLE`."""

    def __init__(self, parent: QObject | None = None) -> None:
        columns = [
            Column[QuarantineRow](
                QCoreApplication.translate("QuarantineModel", "When"), local_time
            ),
            Column[QuarantineRow](
                QCoreApplication.translate("QuarantineModel", "Activity"), lambda row: row.verb
            ),
            Column[QuarantineRow](
                QCoreApplication.translate("QuarantineModel", "Lesson"),
                lambda row: localized(row.lesson),
            ),
            Column[QuarantineRow](
                QCoreApplication.translate("QuarantineModel", "Why the server refused it"),
                lambda row: localized(row.reason),
            ),
        ]
        super().__init__(columns, lambda row: row.id, parent)
