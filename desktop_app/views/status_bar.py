"""The status bar: connection, sync progress, what waits for upload, last sync, and one message.

The connection, the pending count and the last sync are permanent widgets, so no message ever
hides them. The message line (a failed sync, or news from a page) takes only the room left: a
long text ends in "…" with the whole of it in the tooltip, and never widens the window. Being
offline is a state the app expects, told calmly beside the connection, not as an error.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar, QWidget

from desktop_app.views.i18n import format_date_time, localized
from desktop_app.views.status_colours import BAD, set_tone
from desktop_app.views.sync_controller import SyncStatus

ONLINE, OFFLINE = "● Online", "○ Offline — your work is saved and will upload later"  # English


def describe_time(moment: datetime | None) -> str:
    if moment is None:
        return QCoreApplication.translate("SyncStatusBar", "never")
    return format_date_time(moment.astimezone())


def connection_words(status: SyncStatus) -> str:
    if status.syncing and status.items_done:
        return QCoreApplication.translate(
            "SyncStatusBar", "Syncing — %Ln items…", None, status.items_done
        )
    if status.syncing:
        return QCoreApplication.translate("SyncStatusBar", "Syncing…")
    if status.online:
        return QCoreApplication.translate("SyncStatusBar", "● Online")
    return QCoreApplication.translate(
        "SyncStatusBar", "○ Offline — your work is saved and will upload later"
    )


class ElidedLabel(QLabel):
    """One line that asks for no width of its own: a text longer than the room it is given
    ends in "…", and the tooltip holds all of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class SyncStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = ElidedLabel()
        self.progress = QProgressBar(textVisible=False)
        self.progress.setMaximumWidth(140)
        self.progress.setRange(0, 0)
        self.connection, self.pending, self.last_sync = QLabel(), QLabel(), QLabel()
        self._note, self._error = "", ""
        self._note_timer = QTimer(self, singleShot=True)
        self._note_timer.timeout.connect(self.clearMessage)
        self.addWidget(self.message, 1)
        for widget in (self.progress, self.connection, self.pending, self.last_sync):
            widget.setContentsMargins(6, 0, 6, 0)
            self.addPermanentWidget(widget)
        self.show_status(SyncStatus())

    def show_status(self, status: SyncStatus) -> None:
        self.connection.setText(connection_words(status))
        self.connection.setToolTip("" if status.online else localized(status.last_error))
        self.progress.setVisible(status.syncing)
        when = describe_time(status.last_success)
        self.last_sync.setText(
            QCoreApplication.translate("SyncStatusBar", "Last sync: {when}").format(when=when)
        )
        self.pending.setText(localized(status.pending_uploads.label()))
        self._error = localized(status.last_error) if status.online else ""
        self._show_message()

    def showMessage(self, text: str, /, timeout: int | None = 0) -> None:
        """A page's news goes in the message line rather than over the whole bar (Qt's own
        way), so the connection and the pending count stay in sight; gone after `timeout` ms."""
        self._note = localized(text)
        self._note_timer.stop()
        if timeout:
            self._note_timer.start(timeout)
        self._show_message()
        self.messageChanged.emit(text)

    def clearMessage(self) -> None:
        self._note = ""
        self._show_message()
        self.messageChanged.emit("")

    def currentMessage(self) -> str:
        return self._note

    def _show_message(self) -> None:
        """The page's news if there is some, else why the last sync failed (in red)."""
        self.message.set_full_text(self._note or self._error)
        set_tone(self.message, "" if self._note or not self._error else BAD)
