"""A course certificate as a one-page PDF (QPdfWriter): the programme, the learner, the course,
the date, the hours, and a QR code of the signed token, which is also kept in the PDF's XMP
metadata so `python -m desktop_app verify FILE.pdf` can read it back.

Printed matter: black on white whatever the window's palette; sizes follow the application
font.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from desktop_app.certificates.token import Certificate
from desktop_app.views.i18n import format_date, format_number

XMP_TAG = "rounds:certificateToken"
_XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:rounds="https://rounds.example/ns/certificate/1.0/">'
    "<{tag}>{token}</{tag}>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)
_TOKEN_IN_PDF = re.compile(rb"<" + XMP_TAG.encode() + rb">([A-Za-z0-9_\-.]+)</")
RESOLUTION = 300


def token_from_pdf(data: bytes) -> str | None:
    """The token a certificate PDF made here carries, if any."""
    match = _TOKEN_IN_PDF.search(data)
    return match.group(1).decode("ascii") if match else None


def write_certificate_pdf(certificate: Certificate, path: Path) -> None:
    """Write the certificate to `path` (raises OSError if it cannot be written)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(
        QCoreApplication.translate("CertificatePdf", "Certificate of completion: {course}").format(
            course=certificate.course_title
        )
    )
    writer.setCreator(certificate.programme)
    xmp = _XMP.format(tag=XMP_TAG, token=certificate.token)
    writer.setDocumentXmpMetadata(xmp.encode("utf-8"))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{path} cannot be written")
    try:
        _paint(painter, certificate, QRectF(writer.pageLayout().paintRectPixels(RESOLUTION)))
    finally:
        painter.end()
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"{path} was not written")


def _font(scale: float, bold: bool = False) -> QFont:
    font = QFont()  # the application font
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def _paint(painter: QPainter, certificate: Certificate, page: QRectF) -> None:
    ink = QColor(Qt.GlobalColor.black)
    painter.setPen(ink)
    qr_side = page.height() * 0.42
    text_area = QRectF(page.left(), page.top(), page.width() - qr_side * 1.15, page.height())
    hours = format_number(certificate.hours, 2 if certificate.hours < 1 else 1)
    lines = [
        (certificate.programme, 1.6, True),
        (QCoreApplication.translate("CertificatePdf", "Certificate of completion"), 2.6, True),
        (QCoreApplication.translate("CertificatePdf", "This certifies that"), 1.2, False),
        (certificate.learner, 2.4, True),
        (QCoreApplication.translate("CertificatePdf", "completed the course"), 1.2, False),
        (certificate.course_title, 2.0, True),
        (
            QCoreApplication.translate("CertificatePdf", "on {date}").format(
                date=format_date(certificate.completed_at.date())
            ),
            1.3,
            False,
        ),
        (
            QCoreApplication.translate("CertificatePdf", "Hours of study: {hours}").format(
                hours=hours
            ),
            1.3,
            False,
        ),
    ]
    y = text_area.top()
    flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
    for text, scale, bold in lines:
        painter.setFont(_font(scale, bold))
        bounds = painter.boundingRect(
            QRectF(text_area.left(), y, text_area.width(), 0), flags, text
        )
        painter.drawText(bounds, flags, text)
        y = bounds.bottom() + painter.fontMetrics().height() * 0.6
    painter.setFont(_font(0.9))
    footer = QCoreApplication.translate(
        "CertificatePdf",
        "Certificate {id}, issued by {issuer}. Verify it with: rounds-cli verify FILE",
    ).format(id=certificate.id, issuer=certificate.issuer)
    footer_rect = QRectF(text_area.left(), page.bottom() - page.height() * 0.1, page.width(), 0)
    bounds = painter.boundingRect(footer_rect, flags, footer)
    painter.drawText(bounds, flags, footer)
    _paint_qr(
        painter, certificate.token, QRectF(page.right() - qr_side, page.top(), qr_side, qr_side)
    )


def _paint_qr(painter: QPainter, token: str, area: QRectF) -> None:
    import segno

    qr = segno.make_qr(token, error="m", boost_error=True)
    rows = [list(row) for row in qr.matrix]
    border = 4
    cells = len(rows) + 2 * border
    cell = area.width() / cells
    painter.fillRect(area, QColor(Qt.GlobalColor.white))
    black = QColor(Qt.GlobalColor.black)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                x = area.left() + (c + border) * cell
                y = area.top() + (r + border) * cell
                painter.fillRect(QRectF(x, y, cell * 1.01, cell * 1.01), black)
