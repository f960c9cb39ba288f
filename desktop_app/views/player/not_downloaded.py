"""The line above a lesson that is not downloaded: opening it from the server, playing it
from there, or (offline) why it cannot be opened, always with "Download this lesson"."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.error_text import describe
from desktop_app.views.downloads.columns import title_font
from desktop_app.views.i18n import localized
from desktop_app.views.status_colours import BAD, PLAIN, set_tone


class Away(Enum):
    OPENING = "opening"
    STREAMING = "streaming"
    OFFLINE = "offline"
    FAILED = "failed"
    QUEUED = "queued"


class NotDownloadedBar(QWidget):
    """Signals:
    download_requested(): the learner asked to download this lesson.
    """

    download_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = Away.OPENING
        self.heading = QLabel(wordWrap=True)  # the lesson's title while no player shows it
        self.heading.setFont(title_font(self.heading.font()))
        self.words = QLabel(wordWrap=True)
        self.words.setAccessibleName(self.tr("Where this lesson comes from"))
        self.download = QPushButton(self.tr("&Download this lesson"))
        self.download.setToolTip(self.tr("Keep this lesson on this computer to study it offline"))
        self.download.clicked.connect(self.download_requested)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        row = QHBoxLayout()
        row.addWidget(self.words, 1)
        row.addWidget(self.download)
        column.addLayout(row)
        self.hide()

    def opening(self, title: str) -> None:
        self.heading.setText(title)
        self.heading.show()
        self._say(Away.OPENING, self.tr("Opening “{title}” from the server…").format(title=title))

    def streaming(self) -> None:
        self.heading.hide()  # the player's header shows the title
        self._say(
            Away.STREAMING,
            self.tr("This lesson plays from the server; download it to study it offline."),
        )

    def failed(self, error: Exception) -> None:
        report = describe(error)
        if report.offline:
            words = self.tr(
                "This lesson is not downloaded and the server cannot be reached now; download "
                "it, and it arrives when you are back online."
            )
            self._say(Away.OFFLINE, words)
            return
        reason = localized(report.message)
        words = self.tr("This lesson could not be opened from the server: {reason}")
        self._say(Away.FAILED, words.format(reason=reason), BAD)

    def queued(self) -> None:
        words = self.tr("This lesson is downloading; the Downloads page shows how far it is.")
        self._say(Away.QUEUED, words)
        self.download.setEnabled(False)

    def _say(self, state: Away, words: str, tone: str = PLAIN) -> None:
        self.state = state
        self.words.setText(words)
        set_tone(self.words, tone)
        self.download.setEnabled(True)
        self.show()
