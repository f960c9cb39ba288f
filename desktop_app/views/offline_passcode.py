"""The offer, after signing in with the organisation on a computer with no keyring, of an
offline passcode for this computer (`desktop_app.sso.passcode`).

It says why it asks, what the passcode is for and where it stays; the learner may choose one
(typed twice) or go on without. Keeping it is slow on purpose, so it runs off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.i18n import localized
from desktop_app.views.status_colours import BAD, set_tone

MESSAGE_LINES = 2
TEXT_CHARACTERS = 60


@dataclass(frozen=True)
class PasscodeOffer:
    """What the offer does, below the views."""

    offered: Callable[[object], bool]
    """Whether to offer a passcode for the account just signed in."""
    problem: Callable[[str, str], str | None]
    """Why a passcode typed twice cannot be kept, or None."""
    keep: Callable[[object, str], None]
    """Keeps the passcode for the account (slow; OSError if it cannot)."""


class OfflinePasscodeDialog(QDialog):
    """Asks for an offline passcode for `account`; accepted once it is kept, rejected when
    the learner goes on without one."""

    def __init__(
        self, runner: BackgroundRunner, offer: PasscodeOffer, account: object, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._runner, self._offer, self._account = runner, offer, account
        self.setWindowTitle(self.tr("Open Rounds offline on this computer"))
        self.passcode = self._secret_field(self.tr("Offline passcode"))
        self.repeated = self._secret_field(self.tr("Offline passcode again"))
        self.message = QLabel(wordWrap=True)
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * MESSAGE_LINES)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.keep_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.keep_button.setText(self.tr("&Keep passcode"))
        self.skip_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.skip_button.setText(self.tr("&Not now"))
        self.skip_button.setToolTip(self.tr("Go on without opening Rounds offline here"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.passcode.setFocus()

    def _secret_field(self, name: str) -> QLineEdit:
        field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        return field

    def _lay_out(self) -> None:
        heading = QLabel(self.tr("Open Rounds offline on this computer"), wordWrap=True)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        why = self._paragraph(
            self.tr(
                "This computer has no keyring, so your sign-in lasts only until Rounds closes. "
                "To open Rounds here without the network, choose an offline passcode."
            )
        )
        how = self._paragraph(
            self.tr(
                "When the server cannot be reached, enter your username and this passcode in "
                "the Password field of the sign-in window. The passcode stays on this "
                "computer, is never sent anywhere, and is removed when you sign out."
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("&Passcode"), self.passcode)
        form.addRow(self.tr("&Repeat passcode"), self.repeated)
        layout = QVBoxLayout(self)
        for part in (heading, why, how):
            layout.addWidget(part)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)

    def _paragraph(self, text: str) -> QLabel:
        label = QLabel(text, wordWrap=True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setMinimumWidth(label.fontMetrics().averageCharWidth() * TEXT_CHARACTERS)
        return label

    def submit(self) -> None:
        passcode = self.passcode.text()
        problem = self._offer.problem(passcode, self.repeated.text())
        if problem is not None:
            self._say(localized(problem), error=True)
            return
        self._set_busy(True)
        self._runner.run(
            lambda: self._offer.keep(self._account, passcode),
            lambda _result: self._kept(),
            self._failed,
            serial=False,
        )

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        if busy:
            self._say(self.tr("Keeping the passcode on this computer…"), error=False)

    def _kept(self) -> None:
        self._clear()
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self._clear()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        self._say(
            self.tr("The passcode could not be kept on this computer: {reason}").format(
                reason=localized(reason)
            ),
            error=True,
        )

    def _clear(self) -> None:
        self.passcode.clear()
        self.repeated.clear()

    def _say(self, text: str, *, error: bool) -> None:
        set_tone(self.message, BAD if error else "")
        self.message.setText(text)
