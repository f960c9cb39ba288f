"""Check-in at the venue: the window in venue time, the code field, and what happened."""

from __future__ import annotations

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
    WindowState,
)
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
        super().__init__("Check in at the venue", parent)
        self.window_label = QLabel(wordWrap=True)
        self.code = QLineEdit(placeholderText="Code shown at the venue", maxLength=128)
        self.code.setAccessibleName("Check-in code")
        self.submit = QPushButton("Check in")
        self.status = QLabel(wordWrap=True)
        self.code.returnPressed.connect(self._request)
        self.submit.clicked.connect(self._request)
        self.code.textChanged.connect(lambda _text: self._update_enabled())
        self._settled, self._busy = False, False
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

    def show_state(self, window: CheckInWindow | None, record: CheckInRecord | None) -> None:
        """The window and the stored check-in, as the page last read them.

        The field stays usable outside the window: the page may have been open since before
        the window opened, and the service answers an early or late try in plain words."""
        self.window_label.setText(_window_words(window))
        self._settled = record is not None and record.status is not CheckInStatus.REJECTED
        if record is None:
            self._set_status("", "plain")
        else:
            self._set_status(record.text, STATUS_TONES[record.status])
        self._update_enabled()

    def show_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self._set_status("Checking in…", "plain")
        self._update_enabled()

    def show_result(self, result: CheckInResult) -> None:
        self._set_status(result.message, OUTCOME_TONES[result.outcome])
        if result.recorded:
            self.code.clear()

    def show_error(self, message: str) -> None:
        self._set_status(message, "bad")

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


def _window_words(window: CheckInWindow | None) -> str:
    if window is None:
        return "Check in with the code shown at the venue on the day."
    if window.state is WindowState.OPEN:
        return f"{window.text} — open now."
    if window.state is WindowState.NOT_OPEN_YET:
        return f"{window.text} — not open yet."
    return f"{window.text} — closed."
