"""Asking the learner before a download starts or files are deleted (tests pass their own
answer). The buttons say what they do ("Download", "Cancel"), never Yes and No."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

Confirm = Callable[[QWidget, str, str], bool]
"""(parent, title, question) -> True to go ahead."""


def ask(parent: QWidget | None, title: str, question: str, action: str) -> bool:
    """A question whose buttons are `action` (the default) and Cancel; True for `action`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setTextFormat(box.textFormat().PlainText)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(
        QCoreApplication.translate("dialogs", "Cancel"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(go)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def ask_to_download(parent: QWidget, title: str, question: str) -> bool:
    return ask(parent, title, question, QCoreApplication.translate("dialogs", "Download"))


def ask_to_confirm(parent: QWidget, title: str, question: str) -> bool:
    """Before files are deleted: the button names the deletion."""
    return ask(parent, title, question, QCoreApplication.translate("dialogs", "Delete"))


def ask_to_stop(parent: QWidget, title: str, question: str) -> bool:
    """Before downloads are cancelled (their partial files deleted)."""
    return ask(parent, title, question, QCoreApplication.translate("dialogs", "Stop downloading"))
