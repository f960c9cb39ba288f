"""Reading lessons: Markdown (or HTML) shown with no scripts and no remote loads.

Images come only from the lesson's downloaded images, by name. Links open in the system
browser only when the learner clicks one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QShowEvent, QTextBlockFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

UrlOpener = Callable[[QUrl], object]
WEB_SCHEMES = ("http", "https", "mailto")
END_TOLERANCE = 4  # pixels from the bottom that still count as "at the end"


class LocalOnlyBrowser(QTextBrowser):
    """A QTextBrowser that resolves images from a fixed table of local files and nothing else.

    The URL only names an entry of the table (the lesson's downloaded images); it is never
    joined to a folder, so neither `..` nor a link on disk can reach another file.
    """

    def __init__(self, images: dict[str, Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images = images
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """The lesson's image a URL names; for anything else an empty answer, never None.

        Given None, Qt loads the URL itself: any file on disk, a path relative to the working
        folder, or a Windows share (where opening a file sends the learner's Windows login).
        """
        is_image = kind == QTextDocument.ResourceType.ImageResource
        path = self.local_image(QUrl(url)) if is_image else None
        if path is not None:
            return QImage(str(path))  # a null image if unreadable: still no loading elsewhere
        return QImage() if is_image else QByteArray()

    def local_image(self, url: QUrl) -> Path | None:
        """The downloaded image a relative URL names, or None for anything else."""
        if url.scheme() or url.host() or not url.path():
            return None
        name = url.path()
        return self._images.get(name) or self._images.get(name.rsplit("/", 1)[-1])


class ReadingPage(QWidget):
    """Shows one reading.

    Signals:
    progressed(float, float): how far down the learner has scrolled (0…1), twice (the scroll
        share is both the position to resume at and the progress).
    finished(): the learner reached the end (or the reading fits without scrolling).
    """

    progressed = Signal(float, float)
    finished = Signal()

    def __init__(
        self,
        body: Path,
        images: dict[str, Path],
        *,
        open_url: UrlOpener,
        resume: float = 0.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_url, self._finished = open_url, False
        # Kept (and re-applied as the layout settles) until the learner scrolls themselves.
        self._resume: float | None = resume or None
        self.browser = LocalOnlyBrowser(images)
        self.browser.document().setDocumentMargin(24)
        self.browser.setAccessibleName(self.tr("Reading"))
        self.browser.anchorClicked.connect(self._on_link)
        self._show_text(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        bar = self.browser.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range)
        bar.actionTriggered.connect(self._on_learner_scroll)

    def _show_text(self, body: Path) -> None:
        text = body.read_text(encoding="utf-8", errors="replace")
        if body.suffix.lower() in (".html", ".htm"):
            self.browser.setHtml(text)
        else:
            self.browser.setMarkdown(text)
        self._space_lines()

    def _space_lines(self) -> None:
        # Markdown comes in with tight lines; give long text room to breathe.
        spacing = QTextBlockFormat()
        spacing.setLineHeight(4, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        cursor = QTextCursor(self.browser.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(spacing)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._settle)

    def scroll_share(self) -> float:
        bar = self.browser.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 1.0

    def scroll_to(self, share: float) -> None:
        bar = self.browser.verticalScrollBar()
        bar.setValue(round(min(max(share, 0.0), 1.0) * bar.maximum()))

    def _settle(self) -> None:
        if self._resume is not None:
            self.scroll_to(self._resume)
        self._check_end()

    def _on_range(self, _minimum: int, maximum: int) -> None:
        if self._resume is not None and maximum > 0:
            self.scroll_to(self._resume)
        self._check_end()

    def _on_learner_scroll(self, _action: int) -> None:
        self._resume = None

    def _on_scrolled(self, _value: int) -> None:
        share = self.scroll_share()
        self.progressed.emit(share, share)
        self._check_end()

    def _check_end(self) -> None:
        # Only a laid-out, visible page can tell whether its end is in view.
        if self._finished or not self.isVisible() or self.browser.viewport().height() < 50:
            return
        bar = self.browser.verticalScrollBar()
        if bar.value() >= bar.maximum() - END_TOLERANCE:
            self._finished = True
            self.progressed.emit(1.0, 1.0)
            self.finished.emit()

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() in WEB_SCHEMES:
            self._open_url(url)
        elif url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        else:
            log.info("Ignored a link with no place to go: %s", url.toString())
