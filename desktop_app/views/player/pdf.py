"""PDF lessons: pages in a scrolling view, page navigation and zoom.

Completion: the lesson completes when the last page has been reached (shown as the current
page, or scrolled to the very end of the document).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.views.i18n import format_number
from desktop_app.views.status_colours import BAD, set_tone

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
Zoom = QPdfView.ZoomMode


class PdfPage(QWidget):
    """Shows one PDF document.

    Signals:
    progressed(float, float): the current page index, and the share of pages reached.
    finished(): the last page was reached.
    """

    progressed = Signal(float, float)
    finished = Signal()

    def __init__(self, path: Path, *, resume: float = 0.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._resume, self._finished = int(resume), False
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setAccessibleName(self.tr("Handout pages"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(Zoom.FitToWidth)
        self.view.setDocument(self.document)
        self.error = QLabel(wordWrap=True)
        self.error.setVisible(False)
        set_tone(self.error, BAD)
        self._make_toolbar()
        self._layout()
        self.navigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(self._on_page)
        self.view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self.view.zoomModeChanged.connect(self._show_zoom)
        self._load(path)

    def _make_toolbar(self) -> None:
        self.previous = QPushButton(self.tr("◀ Previous"))
        self.previous.setAccessibleName(self.tr("Previous page"))
        self.previous.setToolTip(self.tr("Previous page (PgUp)"))
        self.previous.setShortcut(QKeySequence.StandardKey.MoveToPreviousPage)
        self.previous.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next = QPushButton(self.tr("Next ▶"))
        self.next.setAccessibleName(self.tr("Next page"))
        self.next.setToolTip(self.tr("Next page (PgDown)"))
        self.next.setShortcut(QKeySequence.StandardKey.MoveToNextPage)
        self.next.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName(self.tr("Page number"))
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda number: self.go_to(number - 1))
        self.page_count = QLabel()
        self.zoom_out = QToolButton()
        self.zoom_out.setText("−")
        self.zoom_out.setAccessibleName(self.tr("Zoom out"))
        self.zoom_out.setToolTip(self.tr("Zoom out (Ctrl+-)"))
        self.zoom_out.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_out.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in = QToolButton()
        self.zoom_in.setText("+")
        self.zoom_in.setAccessibleName(self.tr("Zoom in"))
        self.zoom_in.setToolTip(self.tr("Zoom in (Ctrl++)"))
        self.zoom_in.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.zoom_in.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_width = QPushButton(self.tr("Fit width"))
        self.fit_width.setCheckable(True)
        self.fit_width.clicked.connect(self.fit_to_width)

    def _layout(self) -> None:
        pages: tuple[QWidget, ...] = (
            self.previous,
            QLabel(self.tr("Page")),
            self.page_box,
            self.page_count,
            self.next,
        )
        zoom: tuple[QWidget, ...] = (self.zoom_out, self.zoom_label, self.zoom_in, self.fit_width)
        bar = QHBoxLayout()
        for widget in pages:
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in zoom:
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.view, 1)

    def _load(self, path: Path) -> None:
        error = self.document.load(str(path))
        pages = self.document.pageCount()
        if error != QPdfDocument.Error.None_ or pages == 0:
            self.error.setText(self._why_not_opened(error))
            self.error.setVisible(True)
        self.page_box.setRange(1, max(pages, 1))
        self.page_count.setText(self.tr("of {count}").format(count=format_number(pages)))
        self._show_page(0)
        self._show_zoom()

    def _why_not_opened(self, error: QPdfDocument.Error) -> str:
        Error = QPdfDocument.Error
        if error == Error.FileNotFound:
            return self.tr("This PDF could not be opened: its file is missing.")
        if error in (Error.IncorrectPassword, Error.UnsupportedSecurityScheme):
            return self.tr("This PDF could not be opened: it is protected by a password.")
        return self.tr("This PDF could not be opened: the file is damaged.")

    def page_total(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.navigator.currentPage()

    def go_to(self, page: int) -> None:
        page = min(max(page, 0), max(self.page_total() - 1, 0))
        if page != self.current_page():
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def zoom_by(self, factor: float) -> None:
        low, high = ZOOM_RANGE
        self.view.setZoomMode(Zoom.Custom)
        self.view.setZoomFactor(min(max(self.view.zoomFactor() * factor, low), high))

    def fit_to_width(self) -> None:
        self.view.setZoomMode(Zoom.FitToWidth)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Jump once the view knows its size, so the resumed page lands at the top.
        QTimer.singleShot(0, self, self._first_show)

    def _first_show(self) -> None:
        resume, self._resume = self._resume, 0
        if resume:
            self.go_to(resume)
        self._check_last_page()

    def _on_page(self, page: int) -> None:
        self._show_page(page)
        total = self.page_total()
        if total:
            self.progressed.emit(float(page), (page + 1) / total)
        self._check_last_page()

    def _on_scrolled(self, value: int) -> None:
        total = self.page_total()
        if total and value and value >= self.view.verticalScrollBar().maximum():
            self.progressed.emit(float(total - 1), 1.0)
            self._reached_end()

    def _check_last_page(self) -> None:
        total = self.page_total()
        if total and self.isVisible() and self.current_page() >= total - 1:
            self._reached_end()

    def _reached_end(self) -> None:
        if not self._finished:
            self._finished = True
            self.finished.emit()

    def _show_page(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.previous.setEnabled(page > 0)
        self.next.setEnabled(page < self.page_total() - 1)

    def _show_zoom(self) -> None:
        fitting = self.view.zoomMode() == Zoom.FitToWidth
        self.fit_width.setChecked(fitting)
        zoom = format_number(self.view.zoomFactor() * 100)
        self.zoom_label.setText(self.tr("{percent}%").format(percent=zoom))
        self.zoom_label.setVisible(not fitting)
