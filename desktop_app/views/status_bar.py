"""The status bar: connection, sync progress, last sync, uploads waiting, last error."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from desktop_app.views.sync_controller import SyncStatus


def describe_time(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.astimezone().strftime("%d %b %Y, %H:%M")


class SyncStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = QLabel()
        self.progress = QProgressBar(textVisible=False)
        self.progress.setMaximumWidth(140)
        self.progress.setRange(0, 0)
        self.last_sync = QLabel()
        self.pending = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.addWidget(self.connection)
        self.addWidget(self.progress)
        self.addWidget(self.error, 1)
        self.addPermanentWidget(self.pending)
        self.addPermanentWidget(self.last_sync)
        self.show_status(SyncStatus())

    def show_status(self, status: SyncStatus) -> None:
        if status.syncing:
            items = f" — {status.items_done} items" if status.items_done else ""
            self.connection.setText(f"Syncing{items}…")
        else:
            self.connection.setText("● Online" if status.online else "○ Offline")
        self.progress.setVisible(status.syncing)
        self.last_sync.setText(f"Last sync: {describe_time(status.last_success)}")
        self.pending.setText(f"{status.pending_uploads} waiting to upload")
        self.error.setText(status.last_error)
        self.error.setToolTip(status.last_error)
