"""A residency in Madrid on the day its clocks go forward, for the reminder tests.

Madrid moves from CET (UTC+1) to CEST (UTC+2) at 02:00 local on Sunday 28 March 2027.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from residency_samples import put_course, put_residency, utc

from desktop_app.db import Database

MADRID = ZoneInfo("Europe/Madrid")
RID = "r-madrid"
MADRID_SESSIONS = (
    ("s-gap", "Just after the change", "Aula 1", (), utc(2027, 3, 28, 1, 5),
     utc(2027, 3, 28, 1, 45)),  # 03:05 CEST, the first minutes of summer time
    ("s-ten", "Airway workshop", "Aula 2", ("Dra Ruiz",), utc(2027, 3, 28, 8, 0),
     utc(2027, 3, 28, 9, 0)),  # 10:00 CEST
    ("s-late", "Closing round", "Aula 1", (), utc(2027, 3, 28, 15, 0),
     utc(2027, 3, 28, 16, 0)),
)  # fmt: skip
OPENS, CLOSES = utc(2027, 3, 28, 5, 30), utc(2027, 3, 28, 8, 0)  # 07:30–10:00 CEST
GAP, TEN = f"{RID}.s-gap", f"{RID}.s-ten"


def put_madrid(db: Database) -> Database:
    put_course(db, "c-airway", "Airway basics")
    put_course(db, "c-ethics", "Clinical ethics")
    put_residency(
        db,
        RID,
        starts_at=utc(2027, 3, 28, 1, 5),
        ends_at=utc(2027, 3, 28, 16, 0),
        timezone="Europe/Madrid",
        prerequisites=("c-airway", "c-ethics"),
        window=(OPENS, CLOSES),
        sessions=MADRID_SESSIONS,
        title="Madrid spring residency",
    )
    return db
