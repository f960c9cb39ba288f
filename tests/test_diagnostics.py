"""The diagnostics zip for IT: the logs with every token and password taken out, versions, the
settings and policy in force without secrets, each database's quick_check and last sync (read
without writing), disk space, the proxy and TLS set-up; written whole, or one sentence."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop_app.account import Account
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.cli.main import run
from desktop_app.config import Settings, accounts_home, log_dir, save_settings
from desktop_app.diagnostics import DiagnosticsError, write_diagnostics
from desktop_app.logging_setup import configure_logging
from desktop_app.study import Study

SECRETS = {
    "bearer": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLXNlY3JldA",
    "refresh": "rt-7f3c9e-REFRESH-SECRET",
    "url password": "pw-IN-URL-s3cret",
    "json password": "correct horse SECRET battery",
    "repr password": "staple REPR-SECRET paper",
}
PLANTED = [
    f"GET /api/catalog Authorization: Bearer {SECRETS['bearer']}",
    f'POST /auth/refresh body={{"refresh_token": "{SECRETS["refresh"]}", "client": "desktop"}}',
    f"proxy http://ana:{SECRETS['url password']}@proxy.hospital.example:3128 refused",
    f"sign-in body {json.dumps({'username': 'ana', 'password': SECRETS['json password']})}",
    f"retrying with token={SECRETS['refresh']}&page=2",
    f"settings Settings(lrs_password={SECRETS['repr password']!r}, sync_interval_minutes=15)",
]


def zip_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def told(report: str, name: str) -> str:
    """The value on the report's line for `name` (its lines are `  name  value`)."""
    (value,) = [
        line.strip()[len(name) :].strip()
        for line in report.splitlines()
        if line.startswith(f"  {name} ")
    ]
    return value


def plant_logs() -> None:
    """The secrets in a rotated log as an older Rounds might have written it, and through
    the log of today."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rounds.log.1").write_text("\n".join(PLANTED) + "\n", encoding="utf-8")
    configure_logging()
    for line in PLANTED:
        logging.getLogger("desktop_app.api").info("%s", line)


def test_the_logs_go_in_without_a_token_or_a_password(tmp_path: Path) -> None:
    plant_logs()
    target = tmp_path / "diagnostics.zip"
    write_diagnostics(target)
    texts = zip_texts(target)
    assert {"report.txt", "logs/rounds.log", "logs/rounds.log.1"} <= set(texts)
    everything = "\n".join(texts.values())
    for name, secret in SECRETS.items():
        assert secret not in everything, name
        assert secret.split()[-1] not in everything, name
    old_log = texts["logs/rounds.log.1"]
    assert "POST /auth/refresh" in old_log and "proxy.hospital.example:3128" in old_log
    assert old_log.count("[redacted]") >= len(PLANTED)


def test_the_log_file_itself_is_written_without_them() -> None:
    """The log on disk is scrubbed as it is written, with the same patterns the
    diagnostics file applies again to older logs."""
    plant_logs()
    written = (log_dir() / "rounds.log").read_text(encoding="utf-8")
    for name, secret in SECRETS.items():
        assert secret not in written, name
        assert secret.split()[-1] not in written, name
    assert "proxy.hospital.example:3128" in written


def test_the_report_tells_versions_settings_policy_and_network_without_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.json"
    locked_proxy = {"value": "http://it:proxy-SECRET@proxy.example:8080", "locked": True}
    policy.write_text(json.dumps({"proxy_url": locked_proxy}), encoding="utf-8")
    monkeypatch.setenv("ROUNDS_POLICY", str(policy))
    monkeypatch.setenv("HTTPS_PROXY", "http://ana:env-SECRET@proxy.example:8080")
    bad_bundle = tmp_path / "not-a-bundle.pem"
    bad_bundle.write_text("not a certificate\n", encoding="utf-8")
    save_settings(Settings(ca_bundle=str(bad_bundle), extra={"api_token": "extra-SECRET"}))
    target = tmp_path / "diagnostics.zip"
    write_diagnostics(target)
    report = zip_texts(target)["report.txt"]
    assert "SECRET" not in report
    for heading in ("Versions", "Settings in force", "Machine policy", "Disk", "Network"):
        assert f"\n{heading}\n" in report
    assert told(report, "Python").startswith(sys.version.split()[0])
    assert told(report, "Read from") == str(policy)
    assert told(report, "locked proxy_url") == "'http://it:[redacted]@proxy.example:8080'"
    assert told(report, "proxy_url") == "'http://it:[redacted]@proxy.example:8080'"
    assert told(report, "HTTPS_PROXY") == "http://ana:[redacted]@proxy.example:8080"
    assert told(report, "extra") == "{'api_token': '[redacted]'}"
    assert told(report, "CA bundle loads").startswith("no: ")
    assert told(report, "databases") == "none on this computer"


def test_each_account_database_is_checked_and_its_last_sync_told(
    account: Account, tmp_path: Path
) -> None:
    from desktop_app.content_store import ContentStore

    Study(account, ContentStore(tmp_path / "content")).sync()
    account.close()
    (database,) = accounts_home().glob("*/rounds.sqlite3")
    before = database.read_bytes()
    target = tmp_path / "diagnostics.zip"
    write_diagnostics(target)
    report = zip_texts(target)["report.txt"]
    assert told(report, "Database") == str(database)
    assert told(report, "PRAGMA quick_check") == "ok"
    assert "last synced 20" in told(report, "Last sync")
    assert database.read_bytes() == before


def test_a_damaged_database_is_reported_and_left_as_it_was(tmp_path: Path) -> None:
    folder = accounts_home() / "ana-damaged"
    folder.mkdir(parents=True)
    database = folder / "rounds.sqlite3"
    database.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = database.read_bytes()
    target = tmp_path / "diagnostics.zip"
    write_diagnostics(target)
    report = zip_texts(target)["report.txt"]
    assert "Account ana-damaged" in report
    assert told(report, "PRAGMA quick_check").startswith("could not be checked")
    assert told(report, "Last sync").startswith("could not be read")
    assert database.read_bytes() == before


def test_a_folder_that_cannot_be_written_is_one_sentence(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "diagnostics.zip"
    with pytest.raises(DiagnosticsError) as refused:
        write_diagnostics(target)
    assert str(refused.value.message) == (
        f"The diagnostics could not be saved in {target.parent}: No such file or directory."
    )
    assert not target.parent.exists()


def test_the_command_writes_the_zip_without_an_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "it.zip"
    assert run(["diagnostics", str(target)]) == ExitCode.OK
    assert capsys.readouterr().out == f"Diagnostics saved to {target}.\n"
    assert "report.txt" in zip_texts(target)


def test_the_command_says_in_one_line_why_it_could_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "it.zip"
    assert run(["diagnostics", str(target)]) == ExitCode.FAILED
    error = capsys.readouterr().err
    assert error.startswith("rounds diagnostics: The diagnostics could not be saved in ")
    assert error.count("\n") == 1


def test_the_command_does_not_load_qt(tmp_path: Path) -> None:
    target = tmp_path / "it.zip"
    script = (
        "import sys; from desktop_app.__main__ import main; code = main(sys.argv[1:]); "
        "assert 'PySide6' not in sys.modules, 'Qt was imported'; sys.exit(code)"
    )
    env = {**os.environ, "ROUNDS_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", script, "diagnostics", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert told(zip_texts(target)["report.txt"], "Qt") == "not loaded"


def test_a_failed_write_leaves_the_file_there_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "diagnostics.zip"
    target.write_bytes(b"yesterday's zip")

    def full_disk(_source: object, _destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(DiagnosticsError) as refused:
        write_diagnostics(target)
    assert str(refused.value.message).endswith(": No space left on device.")
    assert target.read_bytes() == b"yesterday's zip"
    assert [p.name for p in tmp_path.iterdir()] == ["diagnostics.zip"]
