"""The sign-in dialog a new learner meets: the product's name and a heading, fields wide
enough for a real server address, "Signing in…" in the ordinary text colour, and the same
shape before and after an error is shown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from shots import keep, light_and_dark, shots_folder

from desktop_app.gui.background import BackgroundRunner
from desktop_app.sync.reconciliation import UNCHECKED_AT_SIGN_OUT
from desktop_app.views.sign_in import SignInDialog
from desktop_app.views.status_colours import BAD, PLAIN, tone_of

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
ADDRESS = "https://learning.example-hospital.org/rounds"
REFUSED = (
    "The server did not accept this username and password. Check them, or ask your "
    "programme's coordinator to reset your password."
)


def test_it_names_the_product_and_fits_a_real_address(qtbot: QtBot) -> None:
    dialog = SignInDialog(BackgroundRunner(), lambda *_: None, str, server_url=ADDRESS)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Rounds" in texts and "Sign in to study your courses" in texts
    metrics = dialog.server.fontMetrics()
    assert dialog.server.width() >= metrics.horizontalAdvance(ADDRESS)
    assert dialog.server.width() >= metrics.averageCharWidth() * 40
    for field in (dialog.server, dialog.username, dialog.password):
        assert field.accessibleName()


def test_signing_in_is_neutral_and_an_error_keeps_the_shape(qtbot: QtBot) -> None:
    release = threading.Event()

    def refuse(*_args: str) -> object:
        release.wait(10)
        raise PermissionError(REFUSED)

    runner = BackgroundRunner()
    dialog = SignInDialog(runner, refuse, str, server_url=ADDRESS, username="ana")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.size()
    dialog.password.setText("wrong")
    dialog.submit()
    assert dialog.message.text() == "Signing in…"
    assert tone_of(dialog.message) == ""
    release.set()
    qtbot.waitUntil(lambda: dialog.message.text() == REFUSED, timeout=10_000)
    assert tone_of(dialog.message) == BAD
    QApplication.processEvents()  # the layout settles
    assert dialog.size() == before
    runner.wait_for_idle()


def test_the_reason_is_said_in_the_tone_the_caller_gives(qapp: QApplication, qtbot: QtBot) -> None:
    """A session that ended is an error; the sign-out's note is news."""
    ended = SignInDialog(BackgroundRunner(), lambda *_: None, str, reason=REFUSED)
    qtbot.addWidget(ended)
    assert (ended.message.text(), tone_of(ended.message)) == (REFUSED, BAD)
    note = SignInDialog(
        BackgroundRunner(), lambda *_: None, str, server_url=ADDRESS, username="ana",
        reason=UNCHECKED_AT_SIGN_OUT, reason_tone=PLAIN,
    )  # fmt: skip
    qtbot.addWidget(note)
    assert (note.message.text(), tone_of(note.message)) == (UNCHECKED_AT_SIGN_OUT, PLAIN)
    quiet = SignInDialog(BackgroundRunner(), lambda *_: None, str)
    qtbot.addWidget(quiet)
    assert (quiet.message.text(), tone_of(quiet.message)) == ("", "")
    note.show()
    qtbot.waitExposed(note)
    keep(light_and_dark(qapp, note, "sign-out-note"), shots_folder("ROUNDS_T10_SHOTS"))
