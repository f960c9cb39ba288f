"""The pages the sign-in's loopback listener answers the browser with are in the language the
learner chose in Settings (the window's translations, `make qm`): a callback of another
sign-in is turned away in Spanish with 400, and the sign-in's own in Spanish with 200."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from desktop_app.config import load_settings, save_settings
from desktop_app.sso.loopback import LoopbackListener
from desktop_app.views.i18n import localized
from desktop_app.views.language import install_translators, remove_translators

STATE = "the-state-this-sign-in-sent"


@pytest.fixture
def spanish_listener(qapp: QApplication) -> Iterator[LoopbackListener]:
    """A listener of an app whose language setting is Spanish, started as the window starts."""
    save_settings(load_settings().with_changes(language="es"))
    locale = QLocale()
    assert install_translators(qapp, load_settings().language) == "es"
    listener = LoopbackListener(localized)
    listener.expect(STATE)
    try:
        yield listener
    finally:
        listener.close()
        remove_translators(qapp)
        QLocale.setDefault(locale)


def test_a_callback_of_another_sign_in_is_turned_away_in_spanish(
    spanish_listener: LoopbackListener,
) -> None:
    stray = requests.get(f"{spanish_listener.redirect_uri}?state=guessed&code=forged", timeout=10)
    assert stray.status_code == 400
    assert stray.headers["Content-Type"] == "text/html; charset=utf-8"
    assert (
        "Esta página no pertenece al inicio de sesión que Rounds está esperando, por lo que se "
        "ha ignorado." in stray.text
    )
    assert not spanish_listener.received.is_set()

    own = requests.get(f"{spanish_listener.redirect_uri}?state={STATE}&code=c", timeout=10)
    assert own.status_code == 200
    assert "Puede cerrar esta página y volver a Rounds." in own.text
    assert spanish_listener.received.is_set()
