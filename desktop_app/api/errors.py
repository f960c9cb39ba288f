"""What can go wrong when talking to the server, as typed errors with a plain-words message.

Every error carries `message`, a sentence a clinician can read in a dialog or a log line.
None of them ever holds a token or a password.
"""

from __future__ import annotations

import math

from desktop_app.text import Template, translate

CAPTIVE_PORTAL = translate(
    "errors",
    "The network at {host} asked for a sign-in page instead of answering: open a web browser, "
    "sign in to the network (for example the hotel or hospital Wi-Fi), then try again.",
)
SERVER_PROBLEM = translate("errors", "The server had a problem ({reason}). Please try again later.")
BAD_PAYLOAD = translate("errors", "The server sent data this app cannot read: {what}.")
PROBLEM_TITLE_DETAIL = translate("errors", "{title}: {detail}")
HTTP_STATUS = translate("errors", "HTTP {status}")
BUSY_FEW_MINUTES = translate("errors", "The server is busy; try again in a few minutes.")
BUSY_ONE_SECOND = translate("errors", "The server is busy; try again in 1 second.")
BUSY_SECONDS = translate("errors", "The server is busy; try again in {count} seconds.")
BUSY_ONE_MINUTE = translate("errors", "The server is busy; try again in 1 minute.")
BUSY_MINUTES = translate("errors", "The server is busy; try again in {count} minutes.")
BUSY_ONE_HOUR = translate("errors", "The server is busy; try again in 1 hour.")
BUSY_HOURS = translate("errors", "The server is busy; try again in {count} hours.")
NOT_SIGNED_IN = translate("errors", "You are not signed in. Please sign in.")
WRONG_PASSWORD = translate("errors", "The server did not accept this username and password.")


class ApiError(Exception):
    """Base of every error the API client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InsecureConnectionError(ApiError):
    """The server address would send credentials in clear text over the network."""


class OfflineError(ApiError):
    """The server could not be reached: no network, DNS failure, refused or timed out."""


class DeadlineError(OfflineError):
    """The reply did not arrive in full before the request's overall deadline (a server or
    proxy sending it so slowly that the per-read timeout never fires)."""


class CaptivePortalError(OfflineError):
    """A web page answered where the server's data was expected: a captive portal (the guest
    Wi-Fi of a hotel or hospital) holding every request until someone signs in to it. Offline
    for the app, which tries again later; the learner is told what to do about it."""

    def __init__(self, host: str) -> None:
        super().__init__(CAPTIVE_PORTAL.format(host=host))
        self.host = host


class CertificateError(ApiError):
    """The server's TLS certificate is not trusted by this computer."""


class AuthenticationError(ApiError):
    """The server rejected the credentials (HTTP 401)."""


class SessionExpiredError(AuthenticationError):
    """The stored session can no longer be renewed; the user must sign in again."""


class ProblemError(ApiError):
    """The server refused the request and said why (an RFC 9457 problem, HTTP 4xx)."""

    def __init__(self, status: int, type_: str, title: str, detail: str, message: str = "") -> None:
        super().__init__(message or _problem_message(title, detail, status))
        self.status = status
        self.type = type_
        self.title = title
        self.detail = detail

    @property
    def kind(self) -> str:
        """The last part of the problem type, e.g. `wrong-code` or `unknown-cursor`."""
        return self.type.rstrip("/").rsplit("/", 1)[-1]


class RateLimitedError(ProblemError):
    """The server is busy (HTTP 429) and still was after the transport's own retries; the
    message says when to come back, from its Retry-After."""

    def __init__(self, type_: str, title: str, detail: str, retry_after: float | None) -> None:
        super().__init__(429, type_, title, detail, _busy(retry_after))
        self.retry_after = retry_after


class ServerError(ApiError):
    """The server failed (HTTP 5xx) — not something the user can fix."""

    def __init__(self, status: int, title: str = "", detail: str = "") -> None:
        reason = _problem_message(title, detail, status)
        super().__init__(SERVER_PROBLEM.format(reason=reason))
        self.status = status
        self.title = title
        self.detail = detail


class BadPayloadError(ApiError):
    """The server sent something that is not what the API promises."""

    def __init__(self, what: str) -> None:
        super().__init__(BAD_PAYLOAD.format(what=what))
        self.what = what


def _problem_message(title: str, detail: str, status: int) -> str:
    if title and detail:
        return PROBLEM_TITLE_DETAIL.format(title=title, detail=detail)
    return title or detail or HTTP_STATUS.format(status=status)


def _busy(seconds: float | None) -> str:
    """'The server is busy; try again in 2 minutes.': whole units, rounded up so that the
    learner is not early."""
    if seconds is None:
        return BUSY_FEW_MINUTES.format()
    if seconds <= 90:
        return _count(max(math.ceil(seconds), 1), BUSY_ONE_SECOND, BUSY_SECONDS)
    if seconds <= 90 * 60:
        return _count(math.ceil(seconds / 60), BUSY_ONE_MINUTE, BUSY_MINUTES)
    return _count(math.ceil(seconds / 3600), BUSY_ONE_HOUR, BUSY_HOURS)


def _count(number: int, one: Template, many: Template) -> str:
    return one.format() if number == 1 else many.format(count=number)
