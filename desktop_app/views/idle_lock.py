"""The idle lock, for workstations that several clinicians share: after some minutes without
a key press, a click or a touch, the window hides what it shows behind a lock panel. The
learner unlocks with her password, checked on this computer (`desktop_app.offline_sign_in`),
or signs out; a learner who signs in with the organisation unlocks with the offline passcode
she chose for this computer, and the panel asks for that. Nothing is closed: a playing lesson
is paused, a quiz keeps its answers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.i18n import localized
from desktop_app.views.status_colours import BAD, set_tone

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
PasswordCheck = Callable[[str], bool]


class IdleWatch(QObject):
    """Emits `idle` once the application has had no input for `minutes` (0: never).

    Signals:
        idle(): the time ran out; it starts again with the next input.
    """

    idle = Signal()

    def __init__(
        self, minutes: int, parent: QObject | None = None, minute_ms: int = 60_000
    ) -> None:
        """`minute_ms`: how long a minute is (tests shorten it)."""
        super().__init__(parent)
        self._minute_ms = minute_ms
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(0, minutes) * self._minute_ms)
        app = QApplication.instance()
        if app is not None:  # each event waits for the interpreter lock to pass the filter
            app.removeEventFilter(self)
            if minutes > 0:
                app.installEventFilter(self)
        self.restart()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def restart(self) -> None:
        if self._timer.interval() > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.interval() > 0:
            self._timer.start()
        return False

    def close(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockPanel(QWidget):
    """What a locked window shows: who is signed in, the password (or, when `passcode`, the
    offline passcode), Unlock and Sign out.

    Signals:
        unlocked(): the password was right.
        sign_out_requested(): the learner chose to sign out instead.
    """

    unlocked = Signal()
    sign_out_requested = Signal()

    def __init__(
        self,
        learner: str,
        check: PasswordCheck,
        runner: BackgroundRunner,
        parent: QWidget | None,
        *,
        passcode: bool = False,
    ) -> None:
        super().__init__(parent)
        self._check, self._runner, self._passcode = check, runner, passcode
        title = QLabel(
            self.tr("Rounds is locked"), wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter
        )
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        explain = QLabel(
            self._asking().format(learner=learner),
            wordWrap=True,
            alignment=Qt.AlignmentFlag.AlignCenter,
        )
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Passcode") if passcode else self.tr("Password"))
        self.password.returnPressed.connect(self.unlock)
        self.message = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        self.sign_out_button = QPushButton(self.tr("Sign &out"))
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self._box = box = QWidget()
        self._fit_box()
        column = QVBoxLayout(box)
        for widget in (title, explain, self.password, self.message):
            column.addWidget(widget)
        for button in (self.unlock_button, self.sign_out_button):
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)

    def _asking(self) -> str:
        if self._passcode:
            return self.tr("{learner} is signed in. Enter the offline passcode to go on.")
        return self.tr("{learner} is signed in. Enter the password to go on.")

    def _wrong(self) -> str:
        if self._passcode:
            return self.tr("That is not the offline passcode of this account. Try again.")
        return self.tr("That is not the password of this account. Try again.")

    def _fit_box(self) -> None:
        """A column about 48 characters wide, in the text size of the moment."""
        self._box.setFixedWidth(self.fontMetrics().averageCharWidth() * 48)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_box"):
            self._fit_box()

    def unlock(self) -> None:
        password = self.password.text()
        if not password or not self.unlock_button.isEnabled():
            return
        self.unlock_button.setEnabled(False)
        set_tone(self.message, "")
        self.message.setText(self.tr("Checking…"))
        self._runner.run(lambda: self._check(password), self._on_checked, self._on_failed)

    def _on_checked(self, right: bool) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        if right:
            self.message.clear()
            self.unlocked.emit()
        else:
            self._say(self._wrong())

    def _on_failed(self, error: Exception) -> None:
        self.unlock_button.setEnabled(True)
        self._say(localized(getattr(error, "message", "") or str(error)))

    def _say(self, text: str) -> None:
        set_tone(self.message, BAD)
        self.message.setText(text)
        self.password.setFocus()


def pause_media(root: QObject) -> None:
    """Pause every media player under `root` (none is loaded before a lesson is opened)."""
    multimedia = sys.modules.get("PySide6.QtMultimedia")
    if multimedia is None:
        return
    for player in root.findChildren(multimedia.QMediaPlayer):
        player.pause()


class WindowLock(QObject):
    """Covers `window`'s content with a `LockPanel` when asked, or after `minutes` idle;
    `passcode`: the learner's offline check is a passcode (`CachedLogon.passcode_kept`).

    Signals:
        sign_out_requested(): the learner chose Sign out on the lock panel.
    """

    sign_out_requested = Signal()

    def __init__(
        self,
        window: QMainWindow,
        learner: str,
        check: PasswordCheck,
        runner: BackgroundRunner,
        minutes: int,
        *,
        passcode: bool = False,
    ) -> None:
        super().__init__(window)
        self._window, self._learner, self._check, self._runner = window, learner, check, runner
        self._passcode = passcode
        self.panel: LockPanel | None = None
        self._content: QWidget | None = None
        self.watch = IdleWatch(minutes, self)
        self.watch.idle.connect(self.lock)

    @property
    def locked(self) -> bool:
        return self.panel is not None

    def lock(self) -> None:
        if self.panel is not None:
            return
        pause_media(self._window)
        panel = LockPanel(self._learner, self._check, self._runner, None, passcode=self._passcode)
        panel.unlocked.connect(self.unlock)
        panel.sign_out_requested.connect(self.sign_out_requested)
        self._content = self._window.takeCentralWidget()
        self._window.setCentralWidget(panel)
        self._window.menuBar().setEnabled(False)
        self.panel = panel
        panel.password.setFocus()

    def unlock(self) -> None:
        panel, content = self.panel, self._content
        if panel is None or content is None:
            return
        self._window.takeCentralWidget()
        panel.deleteLater()
        self._window.setCentralWidget(content)
        content.show()
        self._window.menuBar().setEnabled(True)
        self.panel, self._content = None, None
        self.watch.restart()

    def close(self) -> None:
        self.watch.close()
