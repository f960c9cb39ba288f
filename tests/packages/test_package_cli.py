"""`python -m desktop_app package export|import`, run as IT would: its own data folder, no
keyring, the password in the environment; the import runs with the server stopped."""

from __future__ import annotations

import shutil
from pathlib import Path

from packages_samples import COURSE, publish
from rounds_process import rounds
from server_fixture import DEMO_USER

from desktop_app.cli.exit_codes import ExitCode
from reference_server.server import ReferenceServer


def test_export_then_import_with_the_server_stopped(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    publish(reference_server)
    home, package = tmp_path / "home", tmp_path / "c-pack.zip"
    who = ("--server", reference_server.url, "--user", DEMO_USER)
    assert rounds(home, "sync", *who).returncode == ExitCode.OK
    assert rounds(home, "download", COURSE, *who).returncode == ExitCode.OK

    exported = rounds(home, "package", "export", COURSE, str(package), *who)

    assert (exported.returncode, exported.stderr) == (ExitCode.OK, "")
    assert exported.stdout.startswith("Exported “Packaged course” (3 files, ")
    shutil.rmtree(home / "content")
    reference_server.stop()
    imported = rounds(home, "package", "import", str(package), *who)
    assert (imported.returncode, imported.stderr) == (ExitCode.OK, "")
    assert imported.stdout.startswith("Imported “Packaged course” (3 new files, ")
    assert len(list((home / "content").glob("??/*"))) == 3


def test_a_refused_package_and_wrong_usage_say_why_in_one_line(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    home, package = tmp_path / "home", tmp_path / "broken.zip"
    who = ("--server", reference_server.url, "--user", DEMO_USER)
    assert rounds(home, "sync", *who).returncode == ExitCode.OK
    package.write_bytes(b"PK\x03\x04 not really a zip")

    refused = rounds(home, "package", "import", str(package), *who)
    wrong = rounds(home, "package", "export", COURSE, *who)

    assert (refused.returncode, refused.stdout) == (ExitCode.FAILED, "")
    assert refused.stderr == (
        "rounds package: The package is damaged or incomplete (it is not a whole zip file).\n"
    )
    assert wrong.returncode == ExitCode.USAGE
    assert wrong.stderr.splitlines() == ["rounds package: usage: rounds " + _usage()]


def _usage() -> str:
    return "package export COURSE FILE | package import FILE"
