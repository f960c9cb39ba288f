"""Text in the learner's language: messages made below the views (desktop_app.text) shown
through a loaded translation (views.i18n.localized), dates, times, numbers and sizes through
the chosen language's QLocale, and the choice of language at start (views.language)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from desktop_app.text import translate
from desktop_app.views.i18n import (
    format_date,
    format_date_time,
    format_number,
    format_size,
    format_time,
    localized,
)
from desktop_app.views.language import (
    available_languages,
    chosen_language,
    install_translators,
    remove_translators,
)

OFFLINE = translate("errors", "Offline: {reason}")
TIMED_OUT = translate("errors", "the server took longer than {seconds} s")
FILES = translate("downloads", "{count} files to download")
SPANISH = {
    ("errors", "Offline: {reason}"): "Sin conexión: {reason}",
    ("errors", "the server took longer than {seconds} s"): "el servidor tardó más de {seconds} s",
    ("downloads", "{count} files to download"): "{count} archivos por descargar, {lost}",
}
LOCALE_PARTS = (QLocale.Language.Spanish, QLocale.Country.Spain)


def ts_text(language: str, messages: dict[tuple[str, str], str | list[str]]) -> str:
    """A .ts file holding `messages`: (context, source) -> translation or plural forms."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<TS version="2.1" language="{language}">']
    for (context, source), translation in messages.items():
        numerus = ' numerus="yes"' if isinstance(translation, list) else ""
        if isinstance(translation, list):
            text = "".join(f"<numerusform>{escape(f)}</numerusform>" for f in translation)
        else:
            text = escape(translation)
        parts.append(
            f"<context><name>{context}</name><message{numerus}><source>{escape(source)}"
            f"</source><translation>{text}</translation></message></context>"
        )
    return "\n".join([*parts, "</TS>"])


def release(folder: Path, language: str, messages: dict[tuple[str, str], str | list[str]]) -> None:
    """rounds_<language>.qm in `folder`, compiled by Qt's lrelease as `make qm` does."""
    ts = folder / f"rounds_{language}.ts"
    ts.write_text(ts_text(language, messages), encoding="utf-8")
    lrelease = Path(PySide6.__file__).resolve().parent / "lrelease"
    qm = folder / f"rounds_{language}.qm"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)


@pytest.fixture
def translations(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    """A folder for .qm files; whatever a test installs from it is taken out afterwards."""
    before = QLocale()
    yield tmp_path
    remove_translators(qapp)
    QLocale.setDefault(before)


@pytest.fixture
def spanish(translations: Path, qapp: QApplication) -> str:
    release(translations, "es", dict(SPANISH))
    return install_translators(qapp, "es", translations)


def test_a_message_is_shown_in_spanish_with_its_values(spanish: str) -> None:
    message = OFFLINE.format(reason="no route")
    assert spanish == "es"
    assert localized(message) == "Sin conexión: no route"
    assert str(message) == "Offline: no route", "logs and the headless commands stay English"


def test_a_message_within_a_message_is_translated_too(spanish: str) -> None:
    message = OFFLINE.format(reason=TIMED_OUT.format(seconds=30))
    assert localized(message) == "Sin conexión: el servidor tardó más de 30 s"


def test_a_translation_that_names_a_field_the_english_lacks_shows_the_english(
    spanish: str,
) -> None:
    assert localized(FILES.format(count=3)) == "3 files to download"


def test_text_not_made_by_translate_is_shown_as_it_is(spanish: str) -> None:
    assert localized("Offline: {reason}") == "Offline: {reason}"
    assert localized(OFFLINE) == "Sin conexión: {reason}"


def test_dates_times_numbers_and_sizes_read_in_spanish(spanish: str) -> None:
    assert (QLocale().language(), QLocale().territory()) == LOCALE_PARTS
    assert "marzo" in format_date(date(2027, 3, 14))
    assert format_time(datetime(2027, 3, 14, 16, 5)) == "16:05"
    assert format_date_time(datetime(2027, 3, 14, 16, 5)).startswith("14/3/27")
    assert format_number(1234567) == "1.234.567"
    assert format_number(2.5, 1) == "2,5"
    assert format_size(1_500_000) == "1,5 MB"


def test_qt_s_own_buttons_are_spanish_too(spanish: str) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"


def test_english_says_one_file_from_its_plural_only_translation(
    translations: Path, qapp: QApplication
) -> None:
    release(translations, "en", {("DownloadsPanel", "%n files"): ["%n file", "%n files"]})
    assert install_translators(qapp, "en", translations) == "en"
    assert QCoreApplication.translate("DownloadsPanel", "%n files", "", 1) == "1 file"
    assert QCoreApplication.translate("DownloadsPanel", "%n files", "", 2) == "2 files"


def test_the_system_language_is_used_when_there_is_a_translation_for_it(
    translations: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(translations, "es", dict(SPANISH))
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("es_MX")))
    assert install_translators(qapp, "system", translations) == "es"
    assert QLocale().territory() == QLocale.Country.Mexico, "the system's region is kept"
    assert localized(OFFLINE.format(reason="x")) == "Sin conexión: x"


def test_a_language_without_a_translation_is_english(
    translations: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(translations, "es", dict(SPANISH))
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("fr_FR")))
    assert available_languages(translations) == ["en", "es"]
    assert chosen_language("system", translations) == "en"
    assert chosen_language("de", translations) == "en"
    assert chosen_language("es-419", translations) == "es"
    assert install_translators(qapp, "fr", translations) == "en"
    assert localized(OFFLINE.format(reason="x")) == "Offline: x"
