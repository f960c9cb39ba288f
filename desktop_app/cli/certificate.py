"""`python -m desktop_app certificate COURSE FILE.pdf` saves the learner's certificate of a
completed course as a PDF (asking the server first when it can be reached, else from what the
last sync kept); `python -m desktop_app verify FILE.pdf-or-TOKEN` checks a certificate without
the network, with the server's keys and revocation list the account keeps, and prints who, what
and when, or why it is not valid. Exit codes (`ExitCode`): OK; FAILED when the certificate is
not valid or cannot be saved; NOT_FOUND when no certificate is kept for the course.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

from desktop_app.account import Account
from desktop_app.api.errors import ApiError
from desktop_app.certificates.token import Certificate, CertificateInvalid
from desktop_app.certificates.wallet import Wallet, completed_courses
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import AccountPaths

log = logging.getLogger(__name__)
TOKEN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def add_certificate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("course", metavar="COURSE", help="the course id (see `status`)")
    parser.add_argument("file", metavar="FILE", type=Path, help="the PDF to write")


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "certificate", metavar="FILE_OR_TOKEN", help="a certificate PDF, a text file, or a token"
    )


def save(server_url: str, username: str, args: argparse.Namespace) -> int:
    paths = AccountPaths.for_account(server_url, username)
    wallet = Wallet(paths.root)
    _refresh_if_online(server_url, username, wallet)
    try:
        certificate = wallet.certificate_for(args.course)
    except LookupError as missing:
        return _fail("certificate", str(missing.args[0]), ExitCode.NOT_FOUND)
    except CertificateInvalid as invalid:
        return _fail("certificate", invalid.message, ExitCode.FAILED)
    write_pdf(certificate, args.file)
    print(f"Saved the certificate of {certificate.course_title} to {args.file}", flush=True)
    return ExitCode.OK


def _refresh_if_online(server_url: str, username: str, wallet: Wallet) -> None:
    """Ask the server for what is new, if this account's sign-in is kept and it answers."""
    account = Account.resume(server_url, username)
    if account is None:
        return
    try:
        wallet.refresh(account.api, completed_courses(account.db))
    except ApiError as error:
        log.info("certificates not refreshed: %s", error.message)
    finally:
        account.close()


def write_pdf(certificate: Certificate, path: Path) -> None:
    """Render with Qt, which needs a GUI application object: the command makes one
    (offscreen without a display) that lasts until the process ends."""
    from PySide6.QtGui import QGuiApplication

    from desktop_app.views.certificate_pdf import write_certificate_pdf

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APPLICATION.append(QGuiApplication([sys.argv[0] if sys.argv else "rounds"]))
    write_certificate_pdf(certificate, path)


_APPLICATION: list[object] = []


def token_of(argument: str) -> str:
    """The token a PDF made here carries, a text file's contents, or the argument itself."""
    if TOKEN.fullmatch(argument.strip()) and not _is_file(Path(argument)):
        return argument.strip()
    data = Path(argument).read_bytes()
    if data.startswith(b"%PDF"):
        from desktop_app.views.certificate_pdf import token_from_pdf

        return token_from_pdf(data) or ""
    return data.decode("utf-8", errors="replace").strip()


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a token too long to be a file name
        return False


def verify(server_url: str, username: str, args: argparse.Namespace) -> int:
    wallet = Wallet(AccountPaths.for_account(server_url, username).root)
    try:
        certificate = wallet.verify(token_of(args.certificate))
    except CertificateInvalid as invalid:
        return _fail("verify", f"not valid: {invalid.message}", ExitCode.FAILED)
    print(describe(certificate), flush=True)
    return ExitCode.OK


def describe(certificate: Certificate) -> str:
    return "\n".join(
        (
            f"Valid certificate {certificate.id}",
            f"  learner:   {certificate.learner}",
            f"  course:    {certificate.course_title} ({certificate.course_id})",
            f"  completed: {certificate.completed_at.date().isoformat()}",
            f"  hours:     {certificate.hours:g}",
            f"  issued by: {certificate.programme}, {certificate.issuer}",
        )
    )


def _fail(command: str, reason: str, code: ExitCode) -> int:
    print(f"rounds {command}: {reason}", file=sys.stderr, flush=True)
    return code
