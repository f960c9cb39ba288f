"""Qt item models over the residency rows (frozen dataclasses from desktop_app.residency)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt

from desktop_app.residency import ResidencySummary, SessionRow
from desktop_app.views.residency.when import agenda_yours, clock_span, summary_day
from desktop_app.views.row_list import Column, FrozenRowsModel, RowListModel


def summary_text(row: ResidencySummary) -> str:
    """Title (marked when past), venue, and the day in venue time, one per line."""
    title = row.title
    if row.past:
        title = QCoreApplication.translate("ResidencyListModel", "{title} (past)").format(
            title=row.title
        )
    when = QCoreApplication.translate("ResidencyListModel", "{when} (venue time)").format(
        when=summary_day(row.starts_at, row.ends_at, row.timezone)
    )
    return f"{title}\n{row.venue_name}\n{when}"


class ResidencyListModel(RowListModel[ResidencySummary]):
    """One row per residency, upcoming first; the row object is under `ROW_ROLE`."""

    def row_data(self, row: ResidencySummary, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return summary_text(row)
        return None


VENUE_TIME, YOUR_TIME, SESSION, ROOM, FACULTY = range(5)


def _agenda_columns() -> list[Column[SessionRow]]:
    return [
        Column[SessionRow](
            QCoreApplication.translate("AgendaModel", "Time (venue)"),
            lambda row: clock_span(row.venue),
        ),
        Column[SessionRow](
            QCoreApplication.translate("AgendaModel", "Your time"),
            lambda row: agenda_yours(row.venue, row.yours),
        ),
        Column[SessionRow](QCoreApplication.translate("AgendaModel", "Session"), lambda r: r.title),
        Column[SessionRow](QCoreApplication.translate("AgendaModel", "Room"), lambda r: r.room),
        Column[SessionRow](
            QCoreApplication.translate("AgendaModel", "Faculty"), lambda row: ", ".join(row.faculty)
        ),
    ]


class AgendaModel(FrozenRowsModel[SessionRow]):
    """The sessions of one residency; the row object is under `ROW_ROLE`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_agenda_columns(), lambda row: row.id, parent)
