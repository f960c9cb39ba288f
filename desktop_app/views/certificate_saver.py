""" "Save certificate…" on the course page and the Progress page: asks where, writes the PDF of
the certificate the last sync kept for the course, and says in one sentence why when it cannot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.certificates.token import Certificate, CertificateInvalid
from desktop_app.views.file_dialogs import FileKind, ask_save_path
from desktop_app.views.i18n import localized


class CertificateSource(Protocol):
    """What the saver asks of `desktop_app.certificates.wallet.Wallet`."""

    def certificate_for(self, course_id: str) -> Certificate: ...


def _pdf_kind() -> FileKind:
    return FileKind(QCoreApplication.translate("CertificateSaver", "PDF documents"), ".pdf")


def suggested_name(certificate: Certificate) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in certificate.course_id)
    return f"certificate-{safe}.pdf"


class CertificateSaver(QObject):
    """Signals: saved(Path) once a PDF is written; refused(str) with the sentence shown."""

    saved = Signal(object)
    refused = Signal(str)

    def __init__(self, source: CertificateSource, parent: QWidget) -> None:
        super().__init__(parent)
        self._source, self._window = source, parent

    def save(self, course_id: str) -> None:
        try:
            certificate = self._source.certificate_for(course_id)
        except CertificateInvalid as invalid:
            self._refuse(localized(invalid.message))
            return
        except LookupError as missing:
            self._refuse(localized(str(missing.args[0])))
            return
        title = self.tr("Save certificate")
        path = ask_save_path(self._window, title, suggested_name(certificate), _pdf_kind())
        if path is not None:
            self.write(certificate, path)

    def write(self, certificate: Certificate, path: Path) -> None:
        from desktop_app.views.certificate_pdf import write_certificate_pdf

        try:
            write_certificate_pdf(certificate, path)
        except OSError:
            self._refuse(
                self.tr("The certificate could not be saved to {path}.").format(path=str(path))
            )
            return
        self.saved.emit(path)

    def _refuse(self, sentence: str) -> None:
        self.refused.emit(sentence)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Certificate"),
            sentence,
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
