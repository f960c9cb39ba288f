"""Asking before sign-out while progress has not reached the server."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def sign_out_warning(parent: QWidget | None, pending_count: int) -> QMessageBox:
    """The question itself; "Cancel" is the default button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Sign out?")
    waiting = (
        "1 progress statement has"
        if pending_count == 1
        else f"{pending_count:,} progress statements have"
    )
    box.setText(f"{waiting} not reached the server yet.")
    box.setInformativeText(
        "They stay on this computer and are uploaded the next time you sign in here. "
        "To continue on another computer, cancel and choose Sync now while online, "
        "or Export progress… on the Progress page."
    )
    box.addButton("Sign out anyway", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def confirm_sign_out(parent: QWidget | None, pending_count: int) -> bool:
    """True to go ahead: nothing is waiting, or the learner chose to sign out anyway."""
    if pending_count <= 0:
        return True
    box = sign_out_warning(parent, pending_count)
    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.DestructiveRole
