"""Messages made below the views reach the window in the learner's language: a real failure
of each area (API, downloads, residency, progress, account, sync) read through a translation
compiled by Qt's lrelease, nested messages translated at every level, and a translation that
lost a field shown in English instead of raising. Logs and the headless commands keep the
English, since a message is still a `str`."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import PySide6
import pytest
import requests
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from desktop_app.api.errors import RateLimitedError
from desktop_app.api.failures import error_for_exception
from desktop_app.downloads.fetch import DiskFullError
from desktop_app.error_text import describe
from desktop_app.offline_sign_in import TooManyAttempts
from desktop_app.progress.pending import Pending
from desktop_app.residency import checkin_words
from desktop_app.sync.outbox import BLOCKED
from desktop_app.text import Message
from desktop_app.views.i18n import localized
from desktop_app.views.language import install_translators, remove_translators

SPANISH = {
    ("errors", "Offline: {reason}"): "Sin conexión: {reason}",
    (
        "errors",
        "Could not reach the server at {host}: {reason}.",
    ): "No se pudo contactar con el servidor en {host}: {reason}.",
    (
        "errors",
        "the connection was refused (is the server running?)",
    ): "la conexión fue rechazada (¿está en marcha el servidor?)",
    (
        "errors",
        "The server is busy; try again in {count} minutes.",
    ): "El servidor está ocupado; inténtelo de nuevo dentro de {count} minutos.",
    (
        "downloads",
        "Not enough disk space in {folder}: {size} more are needed.",
    ): "No hay espacio suficiente en {folder}: se necesitan {size} más.",
    (
        "residency",
        "Not accepted: {reason} {try_again}",
    ): "No aceptado: {reason} {try_again}",
    (
        "residency",
        "You can try again with the code shown at the venue.",
    ): "Puede intentarlo de nuevo con el código que se muestra en la sede.",
    (
        "progress",
        "Progress from {lessons} lessons and 1 check-in waiting to upload",
    ): "Progreso de {lessons} lecciones y 1 registro de asistencia pendientes de subir",
    (
        "account",
        "Too many attempts: wait {seconds} seconds, then try again.",
    ): "Demasiados intentos: espere {seconds} segundos y vuelva a intentarlo.",
    (
        "sync",
        "The upload was stopped on its way to the server ({reason}, likely by a proxy or "
        "firewall); your progress stays queued and is sent at the next sync.",
    ): "La subida se detuvo antes de llegar al servidor; su progreso queda en la cola.",
}


def ts_text(messages: dict[tuple[str, str], str]) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<TS version="2.1" language="es">']
    for (context, source), translation in messages.items():
        parts.append(
            f"<context><name>{context}</name><message><source>{escape(source)}</source>"
            f"<translation>{escape(translation)}</translation></message></context>"
        )
    return "\n".join([*parts, "</TS>"])


@pytest.fixture
def spanish(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    """SPANISH compiled by lrelease into rounds_es.qm and installed as the window's language."""
    source, compiled = tmp_path / "rounds_es.ts", tmp_path / "rounds_es.qm"
    source.write_text(ts_text(SPANISH), encoding="utf-8")
    lrelease = Path(PySide6.__file__).resolve().parent / "lrelease"
    subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(compiled)], check=True)
    before = QLocale()
    assert install_translators(qapp, "es", tmp_path) == "es"
    yield
    remove_translators(qapp)
    QLocale.setDefault(before)


def refused_port() -> int:
    """A loopback port nothing listens on: bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_reads_in_spanish_at_every_level(spanish: None) -> None:
    port = refused_port()
    with pytest.raises(requests.ConnectionError) as caught:
        requests.get(f"http://127.0.0.1:{port}/api/v1/about", timeout=5)
    report = describe(error_for_exception(caught.value, f"127.0.0.1:{port}"))
    english = (
        f"Offline: Could not reach the server at 127.0.0.1:{port}: the connection was refused "
        "(is the server running?)."
    )
    assert report.offline
    assert report.message == english, "logs and the headless commands keep the English"
    assert localized(report.message) == (
        f"Sin conexión: No se pudo contactar con el servidor en 127.0.0.1:{port}: la conexión "
        "fue rechazada (¿está en marcha el servidor?)."
    )


def test_a_busy_server_says_when_to_come_back_in_spanish(spanish: None) -> None:
    error = RateLimitedError("about:blank", "Too Many Requests", "", retry_after=150)
    assert error.message == "The server is busy; try again in 3 minutes."
    assert localized(error.message) == (
        "El servidor está ocupado; inténtelo de nuevo dentro de 3 minutos."
    )


def test_a_full_disk_reads_in_spanish(spanish: None, tmp_path: Path) -> None:
    error = DiskFullError(tmp_path, 2_500_000)
    assert localized(error.message) == (
        f"No hay espacio suficiente en {tmp_path}: se necesitan 2.5 MB más."
    )


def test_a_refused_check_in_keeps_the_server_s_words_in_a_spanish_sentence(
    spanish: None,
) -> None:
    line = checkin_words.rejected("Check-in for this session has closed")
    assert line == (
        "Not accepted: Check-in for this session has closed. "
        "You can try again with the code shown at the venue."
    )
    assert localized(line) == (
        "No aceptado: Check-in for this session has closed. "
        "Puede intentarlo de nuevo con el código que se muestra en la sede."
    ), "the server's own words stay as it wrote them"


def test_what_waits_for_upload_reads_in_spanish(spanish: None) -> None:
    pending = Pending(lessons=3, statements=40, checkins=1)
    assert str(pending) == "progress from 3 lessons and 1 check-in waiting to upload"
    assert localized(pending.label()) == (
        "Progreso de 3 lecciones y 1 registro de asistencia pendientes de subir"
    )


def test_too_many_sign_in_attempts_read_in_spanish(spanish: None) -> None:
    assert localized(TooManyAttempts(12.2).message) == (
        "Demasiados intentos: espere 13 segundos y vuelva a intentarlo."
    )


def test_a_translation_that_lost_a_field_shows_the_english(spanish: None) -> None:
    message = BLOCKED.format(reason="HTTP 403 Forbidden")
    assert isinstance(message, Message)
    assert (
        localized(message)
        == message
        == (
            "The upload was stopped on its way to the server (HTTP 403 Forbidden, likely by a "
            "proxy or firewall); your progress stays queued and is sent at the next sync."
        )
    )


def test_without_a_translation_the_window_shows_the_english(qapp: QApplication) -> None:
    error = RateLimitedError("about:blank", "Too Many Requests", "", retry_after=1)
    assert localized(error.message) == "The server is busy; try again in 1 second."
