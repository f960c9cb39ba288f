"""Asking before sign-out while progress has not reached the server."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.progress import Pending
from desktop_app.views.i18n import localized


def sign_out_warning(parent: QWidget | None, pending: Pending) -> QMessageBox:
    """The question itself, in the words the status bar uses; "Cancel" is the default button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("SignOut", "Sign out?"))
    label = localized(pending.label())
    box.setText(QCoreApplication.translate("SignOut", "{pending}.").format(pending=label))
    box.setInformativeText(
        QCoreApplication.translate(
            "SignOut",
            "It has not reached the server yet: it stays on this computer and is uploaded the "
            "next time you sign in here. "
            "To continue on another computer, cancel and choose Sync now while online, "
            "or Export progress… on the Progress page.",
        )
    )
    anyway = QCoreApplication.translate("SignOut", "Sign out anyway")
    box.addButton(anyway, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def confirm_sign_out(parent: QWidget | None, pending: Pending) -> bool:
    """True to go ahead: nothing is waiting, or the learner chose to sign out anyway."""
    if pending.empty:
        return True
    box = sign_out_warning(parent, pending)
    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.DestructiveRole
