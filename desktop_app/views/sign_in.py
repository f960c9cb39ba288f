"""The sign-in dialog: server, username, password. The password is never stored by the view."""

from __future__ import annotations

from collections.abc import Callable

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

SignInFunction = Callable[[str, str, str], object]


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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to Rounds")
        self._runner, self._sign_in, self._describe = runner, sign_in, describe_error
        self.account: object | None = None
        self.server = QLineEdit(server_url, placeholderText="https://learning.example-hospital.org")
        self.username = QLineEdit(username)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.message = QLabel(reason, wordWrap=True)
        self.message.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Server", self.server)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def submit(self) -> None:
        server, user = self.server.text().strip(), self.username.text().strip()
        password = self.password.text()
        if not server or not user or not password:
            self.message.setText("Enter the server address, your username and your password.")
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
            self.message.setText("Signing in…")

    def _on_signed_in(self, account: object) -> None:
        self.password.clear()
        self.account = account
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.password.clear()
        self.message.setText(self._describe(error))
