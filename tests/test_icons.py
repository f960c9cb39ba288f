"""The icon: resources/icons/rounds.svg renders to each PNG size and a multi-size .ico."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QColor, QImage, QImageReader
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from desktop_app.gui.launch import window_icon

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
TEAL = QColor("#1f6f8b")


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("icons_script", ROOT / "scripts" / "icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icons = load_script()


def ico_sizes(path: Path) -> list[int]:
    data = path.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sides = [struct.unpack_from("<BB", data, 6 + 16 * i) for i in range(count)]
    assert all(width == height for width, height in sides)
    return [width or 256 for width, _ in sides]


@pytest.fixture(scope="module")
def rendered(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("icons")
    icons.write_icons(icons.SOURCE, out)
    return out


def test_the_svg_is_valid(qapp: QApplication) -> None:
    renderer = QSvgRenderer(str(icons.SOURCE))
    assert renderer.isValid()
    assert renderer.defaultSize().width() == renderer.defaultSize().height()


@pytest.mark.parametrize("folder", ["rendered", "committed"])
@pytest.mark.parametrize("side", icons.SIZES)
def test_each_png_has_its_size_and_the_mark(
    qapp: QApplication, rendered: Path, folder: str, side: int
) -> None:
    image = QImage(str((rendered if folder == "rendered" else ICONS) / f"rounds-{side}.png"))
    assert (image.width(), image.height()) == (side, side)
    assert image.pixelColor(0, 0).alpha() == 0  # the rounded corner is see-through
    middle = image.pixelColor(side // 2, side // 2)
    assert middle.alpha() == 255
    # the teal square and the white letter are both there, not one flat colour
    seen = [image.pixelColor(x, y) for x in range(side) for y in range(side)]
    assert any(_near(c, TEAL) for c in seen)
    assert any(_near(c, QColor("white")) for c in seen)


def _near(colour: QColor, target: QColor) -> bool:
    channels = (QColor.red, QColor.green, QColor.blue)
    return colour.alpha() == 255 and all(abs(get(colour) - get(target)) <= 8 for get in channels)


@pytest.mark.parametrize("folder", ["rendered", "committed"])
def test_the_ico_holds_every_size_up_to_256(
    qapp: QApplication, rendered: Path, folder: str
) -> None:
    path = (rendered if folder == "rendered" else ICONS) / "rounds.ico"
    assert ico_sizes(path) == [16, 24, 32, 48, 64, 128, 256]
    reader = QImageReader(str(path))
    assert reader.imageCount() == 7
    read = []
    for index in range(7):
        assert reader.jumpToImage(index)
        read.append(reader.read().width())
    assert read == [16, 24, 32, 48, 64, 128, 256]


def test_the_window_icon_offers_every_png_size(qapp: QApplication) -> None:
    icon = window_icon()
    assert sorted(size.width() for size in icon.availableSizes()) == list(icons.SIZES)
    assert not icon.pixmap(16, 16).isNull()
