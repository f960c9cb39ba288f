""" "Download course": show the size first, check the disk floor, then queue the files."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.downloads import DownloadManager, DownloadPlan
from desktop_app.downloads.units import format_bytes
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.downloads.dialogs import ask_to_confirm

Confirm = Callable[[QWidget, str, str], bool]
Inform = Callable[[QWidget, str, str], object]


def _warn(parent: QWidget, title: str, text: str) -> object:
    return QMessageBox.warning(parent, title, text)


class DownloadFlow(QObject):
    """Signals:
    queued(str, int): files of this course were queued (course id, how many).
    refused(str): the download was not started, and why, in plain words.
    """

    queued = Signal(str, int)
    refused = Signal(str)

    def __init__(
        self,
        manager: DownloadManager,
        runner: BackgroundRunner,
        parent: QWidget,
        *,
        confirm: Confirm = ask_to_confirm,
        inform: Inform = _warn,
    ) -> None:
        super().__init__(parent)
        self._manager, self._runner, self._parent = manager, runner, parent
        self.confirm, self.inform = confirm, inform

    def request(self, course_id: str, module_id: str | None = None) -> None:
        """Plan off the UI thread, then ask the learner with the size in front of them."""
        self._runner.run(
            lambda: self._manager.plan(course_id, module_id),
            self._decide,
            lambda error: self._refuse(str(error)),
            serial=False,
        )

    def _decide(self, plan: DownloadPlan) -> None:
        if not plan.missing:
            self._refuse(f"“{plan.scope_title}” is already downloaded.")
            return
        check = self._manager.check_space(plan)
        if not check.ok:
            self.inform(self._parent, "Not enough disk space", check.message)
            self._refuse(check.message)
            return
        question = (
            f"Download “{plan.scope_title}” for offline study?\n\n"
            f"{len(plan.missing)} files, {format_bytes(plan.bytes_to_fetch)} to download. "
            f"{format_bytes(check.available_bytes)} is free above the safety floor."
        )
        if not self.confirm(self._parent, "Download course", question):
            return
        count = self._manager.download(plan)
        self._manager.start()
        self.queued.emit(plan.course_id, count)

    def _refuse(self, message: str) -> None:
        self.refused.emit(message)
