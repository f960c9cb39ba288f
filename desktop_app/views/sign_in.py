"""The sign-in dialog: server, username, password. The password is never stored by the view.

It names the product and what it asks for, its fields are wide enough for a real server
address, and it keeps its shape: the line under the fields has room for two lines of text
before anything is said, so an error does not make the dialog jump. "Signing in…" is said in
the ordinary text colour; only a failure is in the error colour, and the reason the dialog is
shown for in the tone its caller gives (a sign-out's note is news, not an error).
"""

from __future__ import annotations

from collections.abc import Callable

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
from desktop_app.views.offline_passcode import OfflinePasscodeDialog
from desktop_app.views.organisation_sign_in import OrganisationFlow, OrganisationSignIn
from desktop_app.views.status_colours import BAD, set_tone

SignInFunction = Callable[[str, str, str], object]
FIELD_CHARACTERS = 44
LONG_ADDRESS = "https://learning.example-hospital.org/rounds"  # what a field must show whole
MESSAGE_LINES = 3


class SignInDialog(QDialog):
    """Asks for credentials and signs in off the UI thread; `account` holds the result."""

    def __init__(
        self,
        runner: BackgroundRunner,
        sign_in: SignInFunction,
        describe_error: Callable[[Exception], str],
        *,
        server_url: str = "",
        username: str = "",
        reason: str = "",
        reason_tone: str = BAD,
        organisation: OrganisationFlow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`reason`: why the dialog is shown (a session that ended, a sign-out's note), said
        in `reason_tone` (`status_colours`)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to Rounds"))
        self._runner, self._sign_in, self._describe = runner, sign_in, describe_error
        self.account: object | None = None
        self.passcode_prompt: OfflinePasscodeDialog | None = None
        self.server = QLineEdit(server_url, placeholderText="https://learning.example-hospital.org")
        self.username = QLineEdit(username)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        for field, name in (
            (self.server, self.tr("Server address")),
            (self.username, self.tr("Username")),
            (self.password, self.tr("Password")),
        ):
            field.setAccessibleName(name)
            field.setMinimumWidth(_field_width(field))
        self.message = self._message_line()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.organisation = self._organisation(runner, organisation)
        self._lay_out()
        self.message.setText(localized(reason))
        set_tone(self.message, reason_tone if reason else "")
        (self.password if username else self.username).setFocus()

    def _message_line(self) -> QLabel:
        message = QLabel(wordWrap=True)
        message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        message.setMinimumHeight(message.fontMetrics().lineSpacing() * MESSAGE_LINES)
        return message

    def _lay_out(self) -> None:
        product = QLabel(self.tr("Rounds"))
        font = product.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        product.setFont(font)
        heading = QLabel(self.tr("Sign in to study your courses"), wordWrap=True)
        form = QFormLayout()
        form.addRow(self.tr("&Server"), self.server)
        form.addRow(self.tr("&Username"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(product)
        layout.addWidget(heading)
        layout.addSpacing(heading.fontMetrics().lineSpacing() // 2)
        layout.addLayout(form)
        layout.addWidget(self.message)
        if self.organisation is not None:
            layout.addWidget(self.organisation.button)
        layout.addWidget(self.buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)

    def _organisation(
        self, runner: BackgroundRunner, flow: OrganisationFlow | None
    ) -> OrganisationSignIn | None:
        """Single sign-on's button, when the app can do it (`organisation_sign_in`)."""
        if flow is None:
            return None
        organisation = OrganisationSignIn(runner, flow, self)
        organisation.signed_in.connect(lambda account: self._offer_passcode(flow, account))
        organisation.failed.connect(self._on_failed)
        organisation.refused.connect(lambda text: self._say(text, error=True))
        organisation.status.connect(lambda text: self._say(text, error=False))
        organisation.busy.connect(lambda busy: self.buttons.setEnabled(not busy))
        self.rejected.connect(organisation.cancel)
        organisation.watch(self.server)
        return organisation

    def _offer_passcode(self, flow: OrganisationFlow, account: object) -> None:
        """After single sign-on that no keyring keeps: the offline passcode's offer first;
        the account opens whichever the learner chooses."""
        if flow.passcode is None or not flow.passcode.offered(account):
            self._on_signed_in(account)
            return
        self.passcode_prompt = OfflinePasscodeDialog(self._runner, flow.passcode, account, self)
        self.passcode_prompt.finished.connect(lambda _result: self._on_signed_in(account))
        self.passcode_prompt.open()

    def _say(self, text: str, *, error: bool) -> None:
        set_tone(self.message, BAD if error else "")
        self.message.setText(text)

    def submit(self) -> None:
        server, user = self.server.text().strip(), self.username.text().strip()
        password = self.password.text()
        if not server or not user or not password:
            self._say(
                self.tr("Enter the server address, your username and your password."), error=True
            )
            return
        self._set_busy(True)
        self._runner.run(
            lambda: self._sign_in(server, user, password),
            self._on_signed_in,
            self._on_failed,
            serial=False,
        )

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        if busy:
            self._say(self.tr("Signing in…"), error=False)

    def _on_signed_in(self, account: object) -> None:
        self.password.clear()
        self.account = account
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.password.clear()
        self._say(localized(self._describe(error)), error=True)


def _field_width(field: QLineEdit) -> int:
    """About 44 characters of the field's font, and at least a long address with margins."""
    metrics = field.fontMetrics()
    margins = metrics.averageCharWidth() * 3
    return max(
        metrics.averageCharWidth() * FIELD_CHARACTERS,
        metrics.horizontalAdvance(LONG_ADDRESS) + margins,
    )
