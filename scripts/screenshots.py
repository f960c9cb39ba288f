"""`make screenshots`: a PNG of every page and dialog of the window, in light, dark, and
Spanish at 150 % text size, written to docs/screenshots/ (`catalog-light.png`,
`catalog-dark.png`, `catalog-es-150.png`, ...).

Each look starts a reference server on the sample curriculum and signs the demo learner in,
as `rounds --demo` does, in a throw-away data folder and keyring, then walks the window with
the tests' tour (tests/tour.py). Runs offscreen; nothing of the user's is read or written.

    python scripts/screenshots.py [--out FOLDER] [--only light,dark,es-150]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
MAX_WIDTH = 1200
WINDOW_SIZE = (1180, 760)
"""The window as a laptop shows it, whatever size the window last had."""
FLAT_SHARE = 0.85
"""The share of pixels 256 colours must cover for a screenshot to be stored with a table."""
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false;qt.qpa.*=false")
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import keyring  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402
from PySide6.QtCore import QLocale, Qt, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from shots import dark_palette  # noqa: E402
from tour import QT_LOG_IGNORE, tour  # noqa: E402

from desktop_app.config import Settings  # noqa: E402
from desktop_app.gui.resources import resource_path  # noqa: E402
from desktop_app.views.language import install_translators, remove_translators  # noqa: E402
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer  # noqa: E402


@dataclass(frozen=True)
class Look:
    name: str  # the file name's suffix
    theme: str
    text_size_percent: int = 100
    language: str = "en"


LOOKS = (Look("light", "light"), Look("dark", "dark"), Look("es-150", "light", 150, "es"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", default="", help="looks to take, e.g. light,dark")
    args = parser.parse_args(argv)
    chosen = [look for look in LOOKS if not args.only or look.name in args.only.split(",")]
    qInstallMessageHandler(_quiet)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Rounds")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rounds-screenshots-") as scratch:
        for look in chosen:
            written = take(app, look, Path(scratch) / look.name, args.out)
            print(f"{look.name}: {len(written)} screenshots in {args.out}")
    return 0


def take(app: QApplication, look: Look, scratch: Path, out: Path) -> list[Path]:
    """Every stop of the tour in `look`, as PNGs in `out`."""
    from desktop_app.gui.shell import Shell  # after ROUNDS_HOME is set for this look

    written = []
    with _data_folder(scratch, look), _server(scratch) as server, _looking(app, look, scratch):
        shell = Shell(app, demo_url=server.url)
        try:
            if not shell.start(None, None) or shell.window is None:
                raise RuntimeError("the demo learner could not be signed in")
            shell.window.resize(*WINDOW_SIZE)
            for name, widget in tour(shell, server):
                path = out / f"{name}-{look.name}.png"
                _save(widget, path)
                written.append(path)
        finally:
            shell.close_window()
    return written


class MemoryKeyring(KeyringBackend):
    """The demo learner's tokens, kept in this process only."""

    priority = 1

    @property
    def items(self) -> dict[tuple[str, str], str]:
        return self.__dict__.setdefault("_items", {})  # type: ignore[no-any-return]

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@contextmanager
def _data_folder(scratch: Path, look: Look) -> Iterator[None]:
    """A fresh data folder and keyring: the tour downloads and studies from the start. Its
    settings are the look's, so that the settings dialog shows them."""
    saved = os.environ.get("ROUNDS_HOME")
    home = scratch / "home"
    home.mkdir(parents=True, exist_ok=True)
    chosen = {"theme": look.theme, "text_size_percent": look.text_size_percent}
    (home / "settings.json").write_text(json.dumps({**chosen, "language": look.language}))
    os.environ["ROUNDS_HOME"] = str(home)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        keyring.set_keyring(previous)
        if saved is None:
            os.environ.pop("ROUNDS_HOME", None)
        else:
            os.environ["ROUNDS_HOME"] = saved


@contextmanager
def _server(scratch: Path) -> Iterator[ReferenceServer]:
    server = ReferenceServer(scratch / "server", SAMPLE_CURRICULUM)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def _looking(app: QApplication, look: Look, scratch: Path) -> Iterator[None]:
    """The theme, text size and language of `look`, for as long as the block runs."""
    locale, style, font = QLocale(), app.style().name(), app.font()
    from translations import release  # scripts/translations.py

    folder = scratch / "translations"
    release(folder, (look.language,))
    install_translators(app, look.language, folder)  # as the launch does, English too
    _appearance(app, look)
    try:
        yield
    finally:
        remove_translators(app)
        QLocale.setDefault(locale)
        app.setStyleSheet("")
        app.setStyle(style)
        app.setPalette(app.style().standardPalette())
        app.setFont(font)


def _appearance(app: QApplication, look: Look) -> None:
    """The app's own theme and text size when it has them (views.theme), else the style
    sheet the launch applies, or Fusion with a dark palette."""
    apply = _theme_function()
    if apply is not None:
        settings = replace(Settings(), theme=look.theme, text_size_percent=look.text_size_percent)
        apply(app, settings)
        return
    if look.theme == "dark":
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    else:
        app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * look.text_size_percent / 100)
    app.setFont(font)


def _theme_function() -> Callable[[QApplication, Settings], object] | None:
    try:
        from desktop_app.views import theme
    except ImportError:
        return None
    return getattr(theme, "apply_appearance", None)


def _save(widget: QWidget, path: Path) -> None:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    if image.width() > MAX_WIDTH:
        image = image.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
    if not _fewer_colours(image).save(str(path), "PNG", 9):  # type: ignore[call-overload]
        raise OSError(f"could not write {path}")


def _fewer_colours(image: QImage) -> QImage:
    """The screenshot with a table of its 256 most used colours (a page is mostly flat
    colour: the file is half the size), unless a picture on it needs more."""
    pixels = bytes(image.constBits())
    counts = Counter(pixels[at : at + 4] for at in range(0, len(pixels), 4))
    common = counts.most_common(256)
    if sum(count for _, count in common) < FLAT_SHARE * (len(pixels) // 4):
        return image
    table = [int.from_bytes(colour, "little") | 0xFF000000 for colour, _ in common]
    flags = Qt.ImageConversionFlag.ThresholdDither
    return image.convertToFormat(QImage.Format.Format_Indexed8, table, flags)


def _quiet(kind: QtMsgType, _context: object, message: str) -> None:
    """Qt's messages, less what it says of the offscreen platform and the missing sound."""
    if not any(noise in message for noise in QT_LOG_IGNORE):
        print(f"Qt {kind.name}: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
