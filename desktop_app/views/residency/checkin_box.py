"""Check-in at the venue: the window in venue time, the code field, and what happened."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.residency import (
    CheckInOutcome,
    CheckInRecord,
    CheckInResult,
    CheckInStatus,
    CheckInWindow,
    checkin_words,
)
from desktop_app.text import Message
from desktop_app.views.i18n import localized
from desktop_app.views.residency.when import moment, window_words
from desktop_app.views.status_colours import BAD, GOOD, PLAIN, WARN, set_tone

TONES = {
    "good": GOOD,
    "waiting": WARN,
    "bad": BAD,
    "plain": PLAIN,
}
OUTCOME_TONES = {
    CheckInOutcome.CONFIRMED: "good",
    CheckInOutcome.PENDING: "waiting",
    CheckInOutcome.REJECTED: "bad",
    CheckInOutcome.REFUSED: "bad",
}
STATUS_TONES = {
    CheckInStatus.CONFIRMED: "good",
    CheckInStatus.PENDING: "waiting",
    CheckInStatus.REJECTED: "bad",
}


class CheckInBox(QGroupBox):
    """Signals:
    check_in_requested(str): the learner asked to check in with this code.
    """

    check_in_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Check in at the venue"))
        self.window_label = QLabel(wordWrap=True)
        self.code = QLineEdit(placeholderText=self.tr("Code shown at the venue"), maxLength=128)
        self.code.setAccessibleName(self.tr("Check-in code"))
        self.submit = QPushButton(self.tr("Check in"))
        self.status = QLabel(wordWrap=True)
        self.code.returnPressed.connect(self._request)
        self.submit.clicked.connect(self._request)
        self.code.textChanged.connect(lambda _text: self._update_enabled())
        self._settled, self._busy = False, False
        self._window: CheckInWindow | None = None
        self._zone = "UTC"
        self._layout()
        self.show_state(None, None)

    def _layout(self) -> None:
        entry = QHBoxLayout()
        entry.addWidget(self.code, 1)
        entry.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.window_label)
        layout.addLayout(entry)
        layout.addWidget(self.status)

    def show_state(
        self, window: CheckInWindow | None, record: CheckInRecord | None, zone_name: str = "UTC"
    ) -> None:
        """The window and the stored check-in, as the page last read them; times on the
        clock of the venue in `zone_name`.

        The field stays usable outside the window: the page may have been open since before
        the window opened, and the service answers an early or late try in plain words."""
        self._window, self._zone = window, zone_name
        self.window_label.setText(window_words(window, zone_name))
        self._settled = record is not None and record.status is not CheckInStatus.REJECTED
        if record is None:
            self._set_status("", "plain")
        else:
            line = self._line(record.text, record.confirmed_at)
            self._set_status(line, STATUS_TONES[record.status])
        self._update_enabled()

    def show_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self._set_status(self.tr("Checking in…"), "plain")
        self._update_enabled()

    def show_result(self, result: CheckInResult) -> None:
        line = self._line(result.message, result.confirmed_at)
        self._set_status(line, OUTCOME_TONES[result.outcome])
        if result.recorded:
            self.code.clear()

    def show_error(self, message: str) -> None:
        self._set_status(localized(message), "bad")

    def _line(self, text: str, confirmed_at: datetime | None) -> str:
        """A service's line in the learner's language, its moment on the venue's clock."""
        return localized(with_local_moment(text, self._window, confirmed_at, self._zone))

    def _request(self) -> None:
        code = self.code.text().strip()
        if code and self.submit.isEnabled():
            self.check_in_requested.emit(code)

    def _set_status(self, text: str, tone: str) -> None:
        self.status.setText(text)
        set_tone(self.status, TONES[tone])
        self.status.setVisible(bool(text))

    def _update_enabled(self) -> None:
        can_type = not self._settled and not self._busy
        self.code.setEnabled(can_type)
        self.submit.setEnabled(can_type and bool(self.code.text().strip()))


def with_local_moment(
    text: str, window: CheckInWindow | None, confirmed_at: datetime | None, zone_name: str
) -> str:
    """`text` with its moment written by QLocale, when it names one the page knows."""
    if not isinstance(text, Message):
        return text
    if text.template == checkin_words.CONFIRMED and confirmed_at is not None:
        return checkin_words.CONFIRMED.format(moment=moment(confirmed_at, zone_name))
    if window is None:
        return text
    if text.template == checkin_words.NOT_OPEN_YET:
        return checkin_words.NOT_OPEN_YET.format(moment=moment(window.opens_at, zone_name))
    if text.template == checkin_words.CLOSED:
        return checkin_words.CLOSED.format(moment=moment(window.closes_at, zone_name))
    return text
