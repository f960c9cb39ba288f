"""What the learner reads about a check-in and its window, in plain words."""

from __future__ import annotations

import re
from datetime import datetime

from desktop_app.residency.rows import CheckInStatus, CheckInWindow, WindowState
from desktop_app.residency.times import moment_text

_RFC3339 = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})")

WAITING = "Waiting for confirmation — it will be sent when you are back online."
TRY_AGAIN = "You can try again with the code shown at the venue."
ENTER_CODE = "Enter the check-in code shown at the venue."
NOT_ON_THIS_COMPUTER = "This residency is not on this computer. Sync first, then check in again."
NOT_ENROLLED = "You are not enrolled in this residency, so you cannot check in to it."


def window_text(opens_at: datetime, closes_at: datetime, zone_name: str) -> str:
    span = f"{moment_text(opens_at, zone_name)} – {moment_text(closes_at, zone_name)}"
    return f"Check-in: {span} (venue time)"


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
        return f"Check-in is not open yet. It opens {moment_text(window.opens_at, zone_name)}."
    return f"Check-in has closed. It closed {moment_text(window.closes_at, zone_name)}."


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
    return f"Checked in — confirmed {moment_text(at, zone_name)} (venue time)."


def rejected(message: str) -> str:
    reason = message.strip() or "The server did not accept the check-in."
    if not reason.endswith((".", "!", "?")):
        reason += "."
    return f"Not accepted: {reason} {TRY_AGAIN}"


def already(status: CheckInStatus) -> str:
    if status is CheckInStatus.CONFIRMED:
        return "You are already checked in to this residency."
    return "Your check-in is already recorded and is waiting for confirmation."


def status_line(
    status: CheckInStatus, message: str, confirmed_at: datetime | None, zone_name: str
) -> str:
    """The line the page shows for a stored check-in."""
    if status is CheckInStatus.CONFIRMED and confirmed_at is not None:
        return confirmed(confirmed_at, zone_name)
    if status is CheckInStatus.REJECTED:
        return rejected(message)
    return WAITING
