"""The window's language, chosen once at start: Rounds' own translation (`rounds_<code>.qm`,
built by `make qm` from `resources/translations/rounds_<code>.ts`), Qt's for its standard
buttons and dialogs (`qtbase_<code>.qm` from Qt's translations folder), and the default
`QLocale`, through which `views.i18n` writes dates, times, numbers and sizes.

English is the language of the source; its `rounds_en.qm` holds only the plural forms
("1 file", "2 files"). A language without a `.qm` shows English.
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_app.gui.resources import resource_path

SYSTEM = "system"
SOURCE_LANGUAGE = "en"


def translations_folder() -> Path:
    return resource_path("translations")


def available_languages(folder: Path | None = None) -> list[str]:
    """English, and each language with a built translation in `folder`."""
    found = {path.stem.removeprefix("rounds_") for path in _folder(folder).glob("rounds_*.qm")}
    return [SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE})]


def chosen_language(setting: str, folder: Path | None = None) -> str:
    """The language code the window will use for the `language` setting: "system" is the
    first of the system's preferred languages that has a translation; a language without
    one is English."""
    available = available_languages(folder)
    if setting and setting != SYSTEM:
        code = _language_code(setting)
        return code if code in available else SOURCE_LANGUAGE
    for name in QLocale.system().uiLanguages():
        code = _language_code(name)
        if code in available:
            return code
    return SOURCE_LANGUAGE


def install_translators(app: QCoreApplication, setting: str, folder: Path | None = None) -> str:
    """Load the translations for the `language` setting into `app` and make its language the
    default locale; returns the language code used. Call it before any window is built: text
    already shown stays in the language it was shown in, so a change applies on restart."""
    code = chosen_language(setting, folder)
    system = QLocale.system()
    same_as_system = system.name().split("_")[0] == code
    QLocale.setDefault(system if same_as_system else QLocale(code))
    for path in (_folder(folder) / f"rounds_{code}.qm", _qt_translation(f"qtbase_{code}.qm")):
        translator = QTranslator(app)  # owned by the app, alive as long as it is
        if path.is_file() and translator.load(str(path)):
            app.installTranslator(translator)
        else:
            translator.deleteLater()
    return code


def remove_translators(app: QCoreApplication) -> None:
    """Back to the source's English: the translators `install_translators` gave `app` are
    removed (the default locale stays as it was set)."""
    for translator in app.findChildren(QTranslator):
        app.removeTranslator(translator)
        translator.deleteLater()


def _qt_translation(name: str) -> Path:
    """Qt's own translation file `name`: where Qt says its translations are, else beside
    PySide6 (where a PyInstaller build puts them)."""
    qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (qt_folder / name).is_file():
        return qt_folder / name
    return Path(PySide6.__file__).resolve().parent / "Qt" / "translations" / name


def _folder(folder: Path | None) -> Path:
    return folder if folder is not None else translations_folder()


def _language_code(name: str) -> str:
    """ "es_MX", "es-419", "ES" -> "es"."""
    return name.replace("-", "_").split("_")[0].lower()
