""" "Download course" (or a module, or one lesson): say what it is, how big, and how much space
will be left on the disk, then queue the files."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.downloads import DownloadManager, DownloadPlan, SpaceCheck
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.downloads.dialogs import Confirm, ask_to_download
from desktop_app.views.i18n import format_size, localized

Inform = Callable[[QWidget, str, str], object]


def _warn(parent: QWidget, title: str, text: str) -> object:
    return QMessageBox.warning(parent, title, text)


def space_left(check: SpaceCheck) -> int:
    """What the disk keeps free once this download and those already queued are done."""
    return max(check.free_bytes - check.queued_bytes - check.needed_bytes, 0)


def space_short(check: SpaceCheck) -> int:
    """How much more room the download needs to keep the disk floor free."""
    return max(check.needed_bytes - check.available_bytes, 0)


class DownloadFlow(QObject):
    """Signals:
    queued(str, int): files of this course were queued (course id, how many).
    lesson_queued(str, int): files of this one lesson were queued (lesson id, how many).
    refused(str): the download was not started, and why, in plain words.
    """

    queued = Signal(str, int)
    lesson_queued = Signal(str, int)
    refused = Signal(str)

    def __init__(
        self,
        manager: DownloadManager,
        runner: BackgroundRunner,
        parent: QWidget,
        *,
        confirm: Confirm = ask_to_download,
        inform: Inform = _warn,
    ) -> None:
        super().__init__(parent)
        self._manager, self._runner, self._parent = manager, runner, parent
        self.confirm, self.inform = confirm, inform

    def request(self, course_id: str, module_id: str | None = None) -> None:
        """Plan off the UI thread, then ask the learner with the size in front of them."""
        self._plan(lambda: self._manager.plan(course_id, module_id))

    def request_lesson(self, lesson_id: str) -> None:
        """The same for one lesson's files."""
        self._plan(lambda: self._manager.plan_lesson(lesson_id))

    def _plan(self, plan: Callable[[], DownloadPlan]) -> None:
        self._runner.run(plan, self._decide, self._failed, serial=False)

    def _failed(self, error: Exception) -> None:
        self._refuse(localized(getattr(error, "message", "") or str(error)))

    def _decide(self, plan: DownloadPlan) -> None:
        if not plan.missing:
            self._refuse(self.tr("“{title}” is already downloaded.").format(title=plan.scope_title))
            return
        check = self._manager.check_space(plan)
        if not check.ok:
            message = self.not_enough_space(check)
            self.inform(self._parent, self.tr("Not enough disk space"), message)
            self._refuse(message)
            return
        if not self.confirm(self._parent, self.tr("Download"), self.question(plan, check)):
            return
        count = self._manager.download(plan)
        self._manager.start()
        if plan.lesson_id:
            self.lesson_queued.emit(plan.lesson_id, count)
        else:
            self.queued.emit(plan.course_id, count)

    def question(self, plan: DownloadPlan, check: SpaceCheck) -> str:
        """“Download “Course” — 7 files, 328 kB. 41.2 GB will be left on this disk.”"""
        return self.tr(
            "Download “{title}” — %n files, {size}. {left} will be left on this disk.",
            "",
            len(plan.missing),
        ).format(
            title=plan.scope_title,
            size=format_size(plan.bytes_to_fetch),
            left=format_size(space_left(check)),
        )

    def not_enough_space(self, check: SpaceCheck) -> str:
        return self.tr(
            "Rounds keeps {floor} free on this disk; this download needs {more} more space."
        ).format(floor=format_size(check.floor_bytes), more=format_size(space_short(check)))

    def _refuse(self, message: str) -> None:
        self.refused.emit(message)
