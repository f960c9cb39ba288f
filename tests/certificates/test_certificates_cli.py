"""Certificates end to end on loopback: a learner completes a course here, the sync uploads it
and brings back the certificate the server issues; `certificate COURSE FILE.pdf` writes the PDF,
and `verify` checks it offline, refusing a tampered token, another server's key and a revoked
id, each with its reason and a failing exit status."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QApplication

from desktop_app.account import Account
from desktop_app.certificates.token import read_certificate
from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.content_store import ContentStore
from desktop_app.progress.xapi import LessonRef
from desktop_app.study import Study
from desktop_app.views.certificate_pdf import token_from_pdf
from reference_server.__main__ import main as server_main
from reference_server.badges import BadgeSigner
from reference_server.certificates import signed_token
from reference_server.server import ReferenceServer

COURSE = "c-privacy"
LESSONS = (
    ("l-privacy-identifiable-story", "video"),
    ("l-privacy-deidentification", "reading"),
    ("l-privacy-boundaries", "audio"),
    ("l-privacy-before-you-post", "pdf"),
)
QUIZ = "l-privacy-quiz"


def _complete_course(study: Study) -> None:
    with study.account.db.session() as session:
        for lesson_id, kind in LESSONS:
            study.progress.completed(session, LessonRef(lesson_id, COURSE, lesson_id, kind))
        quiz = LessonRef(QUIZ, COURSE, "Quiz", "quiz")
        study.progress.quiz_result(session, quiz, 1.0, True, {"q1": ["a"]}, out_of=1)


@pytest.fixture(autouse=True)
def application(qapp: QApplication) -> QApplication:
    """The test run's one application object, which the PDF writer then uses."""
    return qapp


@pytest.fixture
def study(synced: Account, tmp_path: Path) -> Study:
    made = Study(synced, ContentStore(tmp_path / "content"))
    _complete_course(made)
    made.sync()
    return made


def _cli(*args: str, server: ReferenceServer) -> int:
    return cli.run([*args[:1], "--server", server.url, "--user", "ana", *args[1:]])


def test_a_completed_course_gets_a_certificate_that_verifies_offline(
    study: Study,
    reference_server: ReferenceServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kept = study.certificates.certificate_for(COURSE)
    assert kept.learner == study.account.display_name and kept.course_id == COURSE
    assert kept.hours == round((8 + 360 + 8 + 420 + 300) / 3600, 2)

    pdf = tmp_path / "certificate.pdf"
    assert _cli("certificate", COURSE, str(pdf), server=reference_server) == ExitCode.OK
    assert token_from_pdf(pdf.read_bytes()) == kept.token
    reference_server.stop()  # from here on, offline
    capsys.readouterr()

    assert _cli("verify", str(pdf), server=reference_server) == ExitCode.OK
    out = capsys.readouterr().out
    assert f"Valid certificate {kept.id}" in out and kept.course_title in out

    alone = tmp_path / "from-a-terminal.pdf"  # its own process: no window, no display
    made = _process("certificate", COURSE, str(alone), server=reference_server)
    assert made.returncode == ExitCode.OK, made.stderr
    assert token_from_pdf(alone.read_bytes()) == kept.token

    assert _cli("verify", _tampered(kept.token), server=reference_server) == ExitCode.FAILED
    assert "altered after it was issued" in capsys.readouterr().err

    assert _cli("verify", _foreign(kept.token), server=reference_server) == ExitCode.FAILED
    assert "not signed by the key of the server" in capsys.readouterr().err

    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4 nothing of ours")
    assert _cli("verify", str(garbage), server=reference_server) == ExitCode.FAILED
    assert "not a Rounds certificate" in capsys.readouterr().err


def test_a_revoked_certificate_is_refused_after_the_next_sync(
    study: Study, reference_server: ReferenceServer, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = study.certificates.certificate_for(COURSE)
    data = str(reference_server.backend.data_dir)
    assert server_main(["certificates", "--data", data, "revoke", kept.id]) == 0
    study.sync()
    reference_server.stop()
    capsys.readouterr()
    assert _cli("verify", kept.token, server=reference_server) == ExitCode.FAILED
    assert f"{kept.id} was revoked" in capsys.readouterr().err


def test_no_certificate_for_an_incomplete_course(
    synced: Account, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    Study(synced, ContentStore(tmp_path / "content")).sync()
    pdf = tmp_path / "none.pdf"
    assert _cli("certificate", "c-presence", str(pdf), server=reference_server) == (
        ExitCode.NOT_FOUND
    )
    assert not pdf.exists()


def _process(*args: str, server: ReferenceServer) -> subprocess.CompletedProcess[str]:
    command = [*args[:1], "--server", server.url, "--user", "ana", *args[1:]]
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM" and k != "DISPLAY"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *command],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _tampered(token: str) -> str:
    body, _, signature = token.partition(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["hours"] = 40
    raw = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + signature


def _foreign(token: str) -> str:
    """The same claims signed by another server's key."""
    claims = dict(read_certificate(token).__dict__)
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    payload.pop("kid")
    assert payload["id"] == claims["id"]
    return signed_token(BadgeSigner(Ed25519PrivateKey.generate()), payload)
