"""Where the main window was: its size, position and the positions of its splitters, kept in
an INI file in Rounds' folder and restored onto a screen that is there now."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

GEOMETRY = "window/geometry"


class WindowState:
    """The remembered geometry of `window` and of the splitters under it."""

    def __init__(self, window: QWidget, path: Path) -> None:
        self._window = window
        self._store = QSettings(str(path), QSettings.Format.IniFormat)

    def restore_geometry(self) -> None:
        saved = self._store.value(GEOMETRY)
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            self._window.restoreGeometry(saved)
        clamp_onto_screen(self._window)

    def restore_splitters(self, root: QWidget) -> None:
        """Each splitter under `root` as it was left (a page built later calls this too)."""
        for splitter in root.findChildren(QSplitter):
            saved = self._store.value(splitter_key(splitter, self._window))
            if isinstance(saved, QByteArray) and not saved.isEmpty():
                splitter.restoreState(saved)

    def save(self) -> None:
        self._store.setValue(GEOMETRY, self._window.saveGeometry())
        for splitter in self._window.findChildren(QSplitter):
            self._store.setValue(splitter_key(splitter, self._window), splitter.saveState())
        self._store.sync()


def splitter_key(splitter: QSplitter, window: QWidget) -> str:
    """A name for `splitter` that stays the same from one start to the next: its object name,
    else the classes of the widgets it sits in."""
    if splitter.objectName():
        return f"splitters/{splitter.objectName()}"
    names = []
    widget: QWidget | None = splitter
    while widget is not None and widget is not window:
        names.append(type(widget).__name__)
        widget = widget.parentWidget()
    return "splitters/" + ".".join(reversed(names))


def clamp_onto_screen(window: QWidget) -> None:
    """Move (and if need be shrink) `window` onto the screen nearest to where it was, so a
    window last seen on a monitor since unplugged is not opened out of sight."""
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    room = screen.availableGeometry()
    if room.contains(frame):
        return
    width, height = min(window.width(), room.width()), min(window.height(), room.height())
    window.resize(width, height)
    placed = QRect(frame.topLeft(), window.frameGeometry().size())
    left = min(max(placed.left(), room.left()), room.right() - placed.width() + 1)
    top = min(max(placed.top(), room.top()), room.bottom() - placed.height() + 1)
    window.move(left, top)
