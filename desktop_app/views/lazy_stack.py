"""Pages of a stacked widget that are built the first time they are wanted.

The player, residency and progress pages bring in QtMultimedia, QtPdf, the caption parser,
the calendar and badge code; most starts open none of them, so they are not built (nor their
modules imported) until the learner goes there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget


class LazyStack(QStackedWidget):
    """A QStackedWidget whose lazy pages hold an empty placeholder until first asked for.

    Signals:
        built(int, QWidget): the page at this index has just been built.
    """

    built = Signal(int, QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factories: dict[int, Callable[[], QWidget]] = {}

    def add_lazy(self, factory: Callable[[], QWidget]) -> int:
        """Keep a place for the page `factory` builds; returns its index."""
        index = self.addWidget(QWidget())
        self._factories[index] = factory
        return index

    def is_built(self, index: int) -> bool:
        return index not in self._factories

    def page(self, index: int) -> QWidget:
        """The page at `index`, built now if it has not been yet."""
        placeholder = self.widget(index)
        assert placeholder is not None, f"no page {index}"
        factory = self._factories.pop(index, None)
        if factory is None:
            return placeholder
        page = factory()
        showing = self.currentIndex() == index
        self.insertWidget(index, page)
        self.removeWidget(placeholder)
        placeholder.deleteLater()
        if showing:
            self.setCurrentIndex(index)
        self.built.emit(index, page)
        return page

    def show_page(self, index: int) -> None:
        self.setCurrentWidget(self.page(index))
