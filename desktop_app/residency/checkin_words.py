"""What the learner reads about a check-in and its window, in plain words."""

from __future__ import annotations

import re
from datetime import datetime

from desktop_app.residency.rows import CheckInStatus, CheckInWindow, WindowState
from desktop_app.residency.times import moment_text
from desktop_app.text import translate

_RFC3339 = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})")

WAITING = translate(
    "residency", "Waiting for confirmation — it will be sent when you are back online."
)
TRY_AGAIN = translate("residency", "You can try again with the code shown at the venue.")
ENTER_CODE = translate("residency", "Enter the check-in code shown at the venue.")
NOT_ON_THIS_COMPUTER = translate(
    "residency", "This residency is not on this computer. Sync first, then check in again."
)
NOT_ENROLLED = translate(
    "residency", "You are not enrolled in this residency, so you cannot check in to it."
)
WINDOW = translate("residency", "Check-in: {opens} – {closes} (venue time)")
NOT_OPEN_YET = translate("residency", "Check-in is not open yet. It opens {moment}.")
CLOSED = translate("residency", "Check-in has closed. It closed {moment}.")
CONFIRMED = translate("residency", "Checked in — confirmed {moment} (venue time).")
NOT_ACCEPTED = translate("residency", "The server did not accept the check-in.")
REJECTED = translate("residency", "Not accepted: {reason} {try_again}")
ALREADY_CONFIRMED = translate("residency", "You are already checked in to this residency.")
ALREADY_WAITING = translate(
    "residency", "Your check-in is already recorded and is waiting for confirmation."
)
WRONG_CODE = translate(
    "residency", "That is not the code shown at the venue. Check it and try again."
)
SERVER_WRONG_CODE = "The code does not match the one shown at the venue."
"""The reference server's words for a wrong code, as check-ins refused before `WRONG_CODE`
existed stored them."""


def window_text(opens_at: datetime, closes_at: datetime, zone_name: str) -> str:
    return WINDOW.format(
        opens=moment_text(opens_at, zone_name), closes=moment_text(closes_at, zone_name)
    )


def window_state(opens_at: datetime, closes_at: datetime, now: datetime) -> WindowState:
    if now < opens_at:
        return WindowState.NOT_OPEN_YET
    return WindowState.CLOSED if now > closes_at else WindowState.OPEN


def window_of(
    opens_at: datetime | None, closes_at: datetime | None, zone_name: str, now: datetime
) -> CheckInWindow | None:
    """The check-in window as the page shows it, or None if the server gave none."""
    if opens_at is None or closes_at is None:
        return None
    return CheckInWindow(
        opens_at,
        closes_at,
        window_state(opens_at, closes_at, now),
        window_text(opens_at, closes_at, zone_name),
    )


def outside_window(window: CheckInWindow, zone_name: str) -> str:
    if window.state is WindowState.NOT_OPEN_YET:
        return NOT_OPEN_YET.format(moment=moment_text(window.opens_at, zone_name))
    return CLOSED.format(moment=moment_text(window.closes_at, zone_name))


def in_venue_time(server_text: str, zone_name: str) -> str:
    """A server message with its RFC 3339 times rewritten as the venue's clock reads them."""
    changed = _RFC3339.sub(lambda m: _venue_moment(m.group(0), zone_name), server_text)
    if changed == server_text:
        return server_text
    return changed.rstrip(".") + " (venue time)."


def _venue_moment(stamp: str, zone_name: str) -> str:
    try:
        return moment_text(datetime.fromisoformat(stamp.replace("Z", "+00:00")), zone_name)
    except ValueError:
        return stamp


def confirmed(at: datetime, zone_name: str) -> str:
    return CONFIRMED.format(moment=moment_text(at, zone_name))


def wrong_code(kind: str) -> bool:
    return kind == "wrong-code"


def rejected(message: str) -> str:
    """The line for a refused check-in: a wrong code in one sentence of our own; any other
    refusal in the server's words, then how to try again."""
    if message.strip() in (WRONG_CODE, SERVER_WRONG_CODE):
        return WRONG_CODE
    reason = message.strip() or NOT_ACCEPTED
    if not reason.endswith((".", "!", "?")):
        reason += "."
    return REJECTED.format(reason=reason, try_again=TRY_AGAIN)


def already(status: CheckInStatus) -> str:
    if status is CheckInStatus.CONFIRMED:
        return ALREADY_CONFIRMED
    return ALREADY_WAITING


def status_line(
    status: CheckInStatus, message: str, confirmed_at: datetime | None, zone_name: str
) -> str:
    """The line the page shows for a stored check-in."""
    if status is CheckInStatus.CONFIRMED and confirmed_at is not None:
        return confirmed(confirmed_at, zone_name)
    if status is CheckInStatus.REJECTED:
        return rejected(message)
    return WAITING
