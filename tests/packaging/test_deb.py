"""`make deb`: the package installs into a throw-away root with dpkg, its launcher on the PATH
starts the installed build's self-test, its desktop entry and metadata are valid, its
dependencies are Debian packages, and it removes cleanly. The README states the oldest glibc
the build needs, as measured here."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from built_app import ROOT, bundle_env, run_binary

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("packaging"),
    pytest.mark.timeout(900),
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg (Debian)"),
]
DPKG_TIMEOUT_S = 300


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deb_script", ROOT / "scripts" / "deb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def deb_script() -> ModuleType:
    return load_script()


@pytest.fixture(scope="module")
def package(bundle: Path, deb_script: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("deb")
    return Path(deb_script.build_deb(bundle, work / "out", work / "staging"))


def dpkg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dpkg acting on a private root and database (`--root` chroots only maintainer scripts,
    which this package has none of)."""
    return subprocess.run(
        ["dpkg", f"--root={root}", "--force-not-root", "--force-depends", "--log=/dev/null", *args],
        capture_output=True,
        text=True,
        timeout=DPKG_TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    admin = root / "var" / "lib" / "dpkg"
    for folder in ("info", "updates", "triggers"):
        (admin / folder).mkdir(parents=True)
    (admin / "status").touch()
    done = dpkg(root, "--install", str(package))
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def field(package: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(package), name],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()


def test_the_files_land_where_the_desktop_looks(installed: Path) -> None:
    for path in (
        "opt/rounds/rounds",
        "opt/rounds/rounds-cli",
        "opt/rounds/_internal",
        "usr/share/applications/rounds.desktop",
        "usr/share/icons/hicolor/48x48/apps/rounds.png",
        "usr/share/icons/hicolor/256x256/apps/rounds.png",
        "usr/share/icons/hicolor/scalable/apps/rounds.svg",
        "usr/share/metainfo/org.rounds.Rounds.metainfo.xml",
    ):
        assert (installed / path).exists(), path
    for launcher in ("rounds", "rounds-cli"):
        link = installed / "usr" / "bin" / launcher
        assert link.is_symlink() and not Path(link.readlink()).is_absolute()
        assert link.resolve() == (installed / "opt" / "rounds" / launcher).resolve()
    listed = (installed / "var/lib/dpkg/info/rounds.list").read_text().splitlines()
    assert "/opt/rounds/rounds" in listed and "/usr/bin/rounds" in listed


def test_the_launcher_on_the_path_starts_the_installed_build(
    installed: Path, tmp_path: Path
) -> None:
    env = bundle_env(tmp_path / "home")
    checked = run_binary(installed / "usr" / "bin" / "rounds", "--self-test", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "self-test passed" in checked.stdout
    shown = run_binary(installed / "usr" / "bin" / "rounds-cli", "--version", env=env)
    assert shown.stdout.startswith("Rounds "), shown.stderr


def test_the_desktop_entry_and_metainfo_are_valid(installed: Path) -> None:
    entry = installed / "usr/share/applications/rounds.desktop"
    text = entry.read_text(encoding="utf-8")
    assert "\nExec=rounds\n" in text and "\nIcon=rounds\n" in text
    checked = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    metainfo = installed / "usr/share/metainfo/org.rounds.Rounds.metainfo.xml"
    assert "@VERSION@" not in metainfo.read_text(encoding="utf-8")
    checked = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--explain", str(metainfo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_dependencies_are_debian_packages_this_system_has(package: Path) -> None:
    assert field(package, "Package") == "rounds"
    depends = [d.strip() for d in field(package, "Depends").split(",")]
    assert depends[0].startswith("libc6 (>= 2.")
    for dependency in depends:
        name = dependency.split(" ")[0]
        status = subprocess.run(
            ["dpkg-query", "--show", "--showformat=${Status}", name],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert status.stdout.endswith("installed"), f"{name} is not a Debian package here"
    if shutil.which("apt-get"):  # apt resolves them against this system, changing nothing
        simulated = subprocess.run(
            ["apt-get", "install", "--simulate", "-q", str(package)],
            capture_output=True,
            text=True,
            timeout=DPKG_TIMEOUT_S,
            check=False,
        )
        assert simulated.returncode == 0, simulated.stdout + simulated.stderr
        assert "Inst rounds" in simulated.stdout


def test_it_removes_cleanly(installed: Path) -> None:
    removed = dpkg(installed, "--purge", "rounds")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    left = [p for p in ("opt/rounds", "usr/bin/rounds", "usr/share/applications/rounds.desktop")]
    assert not [p for p in left if (installed / p).exists() or (installed / p).is_symlink()]


def test_the_readme_states_the_oldest_glibc_the_build_runs_on(
    bundle: Path, deb_script: ModuleType
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"glibc (\d+)\.(\d+) or newer", readme)
    assert stated, "the README's section for IT names the minimum glibc"
    assert deb_script.minimum_glibc(bundle) == (int(stated[1]), int(stated[2]))
