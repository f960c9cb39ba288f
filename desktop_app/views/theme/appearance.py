"""The theme and the text size, applied to the whole application at once.

`apply_appearance` is called at start and again whenever the learner changes either setting:
the palette and the style sheet (`resources/style.qss`, filled from the scheme) repaint every
window, and the application font is scaled, with it every widget that follows it. A widget
that asked for a font of its own size (a heading 1.3 times the text, say) is scaled by the
same factor, so that it keeps its size relative to the text. While the theme is "system", a
change of the platform's colour scheme or contrast is applied as it happens.
"""

from __future__ import annotations

from string import Template

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.config import Settings
from desktop_app.gui.resources import resource_path
from desktop_app.views.theme.schemes import NAMED, Scheme, palette_of
from desktop_app.views.theme.system import system_scheme

BASE_POINT_SIZE = 10.5  # the text at 100 %, unless the platform's own text is larger
SMALLEST_PERCENT, LARGEST_PERCENT = 100, 200
_SIZE_SET = 0x2  # QFont's resolve mask bit for a point size set by the widget itself


def apply_appearance(app: QApplication, settings: Settings) -> Scheme:
    """Paint every window with the theme of `settings` and its text at the chosen size."""
    scheme = scheme_for(app, settings.theme)
    app.setPalette(palette_of(scheme))
    own_fonts = apply_text_size(app, settings.text_size_percent)
    # Set after the font, the style sheet repolishes every widget with it, but gives back
    # the fonts widgets asked for before: theirs go again once it is set.
    app.setStyleSheet(style_sheet(scheme))
    for widget, font in own_fonts:
        widget.setFont(font)
    _follower(app).settings = settings
    return scheme


def scheme_for(app: QApplication, theme: str) -> Scheme:
    """The named scheme, or for "system" (and any name not known) the platform's."""
    if theme in NAMED:
        return NAMED[theme]
    app.setPalette(QPalette())  # no role set: the platform's palette again
    hints = app.styleHints()
    accessibility = hints.accessibility()
    more = accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast
    return system_scheme(app.palette(), hints.colorScheme(), more)


def style_sheet(scheme: Scheme) -> str:
    """`resources/style.qss` with the scheme's colours; "" if the file cannot be read."""
    try:
        template = resource_path("style.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
    return Template(template).substitute(scheme.colours())


def text_point_size(percent: int) -> float:
    """The application font's size for `percent`, kept within 100 to 200."""
    percent = min(max(percent, SMALLEST_PERCENT), LARGEST_PERCENT)
    platform = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF()
    return max(BASE_POINT_SIZE, platform) * percent / 100


def apply_text_size(app: QApplication, percent: int) -> list[tuple[QWidget, QFont]]:
    """The application font at `percent`; the widgets with a size of their own get theirs
    scaled by the same factor, and are returned with the font they now have."""
    font = QFont(app.font())
    before, after = font.pointSizeF(), text_point_size(percent)
    if before == after:
        return []
    font.setPointSizeF(after)
    app.setFont(font)  # the others follow once the events are handled
    return _scale_own_fonts(app, after / before) if before > 0 else []


def _scale_own_fonts(app: QApplication, factor: float) -> list[tuple[QWidget, QFont]]:
    """Widgets that set a point size of their own keep it relative to the text."""
    scaled = []
    for widget in app.allWidgets():
        font = widget.font()
        own = widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) and font.resolveMask() & _SIZE_SET
        if own and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * factor)
            widget.setFont(font)
            scaled.append((widget, font))
    return scaled


class _SystemFollower(QObject):
    """Applies the appearance again when the platform changes its colours, if the learner
    chose to follow them."""

    NAME = "rounds-system-appearance"

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(self.NAME)
        self.app, self.settings = app, Settings()
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(self.follow)
        hints.accessibility().contrastPreferenceChanged.connect(self.follow)

    def follow(self) -> None:
        if self.settings.theme not in NAMED:
            apply_appearance(self.app, self.settings)


def _follower(app: QApplication) -> _SystemFollower:
    found = app.findChild(_SystemFollower, _SystemFollower.NAME)
    return found if isinstance(found, _SystemFollower) else _SystemFollower(app)
