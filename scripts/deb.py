"""A Debian package of the PyInstaller build (what `make deb` does after `make dist`).

    python scripts/deb.py [--dist dist/rounds] [--out dist]

It installs
    /opt/rounds/                                   the build: rounds, rounds-cli, _internal/
    /usr/bin/rounds, /usr/bin/rounds-cli           relative links into /opt/rounds
    /usr/share/applications/rounds.desktop         the menu entry (packaging/linux/)
    /usr/share/icons/hicolor/NxN/apps/rounds.png   resources/icons/rounds-N.png
    /usr/share/icons/hicolor/scalable/apps/rounds.svg
    /usr/share/metainfo/org.rounds.Rounds.metainfo.xml   AppStream, with this version
and depends on the Debian libraries Qt loads (the Makefile's APT_PACKAGES, less the build's
own tools) and on the C library the build needs at least (measured, see `minimum_glibc`).
No maintainer scripts: Debian's file triggers refresh the icon cache and the menu.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "rounds"
APPSTREAM_ID = "org.rounds.Rounds"
LINUX = ROOT / "packaging" / "linux"
BUILD_TOOLS = {"xvfb", "binutils"}  # in APT_PACKAGES for `make test`, not for running Rounds
# What build.spec leaves to the system (SYSTEM_LIBRARIES there), by Debian package.
SYSTEM_LIBRARIES = ["libstdc++6", "libgcc-s1", "libexpat1"]
_GLIBC = re.compile(r"\bGLIBC_(\d+)\.(\d+)(?:\.(\d+))?\b")


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def qt_libraries(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The Makefile's APT_PACKAGES (the shared libraries Qt needs), less the build's tools."""
    text = makefile.read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(r"^APT_PACKAGES\s*:?=\s*(.+)$", text, re.MULTILINE)
    if found is None:
        raise SystemExit("deb: APT_PACKAGES not found in the Makefile")
    return [name for name in found[1].split() if name not in BUILD_TOOLS]


def minimum_glibc(folder: Path) -> tuple[int, int]:
    """The newest GLIBC_x.y symbol version any executable or shared library in `folder` asks
    for (`objdump -T`): the oldest C library the build runs on."""
    newest = (0, 0)
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or not _is_elf(path):
            continue
        symbols = subprocess.run(
            ["objdump", "-T", str(path)], capture_output=True, text=True, timeout=60, check=False
        ).stdout
        for major, minor, _ in _GLIBC.findall(symbols):
            newest = max(newest, (int(major), int(minor)))
    return newest


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def control(version: str, depends: list[str], installed_kib: int) -> str:
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        "Architecture: amd64\n"
        "Maintainer: Rounds <rounds@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: education\n"
        "Priority: optional\n"
        "Description: offline-first learning client for clinicians\n"
        " Rounds keeps a hospital learning server's courses on the workstation, so\n"
        " lessons, videos, handouts and quizzes open without a network; progress\n"
        " syncs when the network is back. `rounds-cli` runs the headless commands.\n"
    )


def release_date() -> str:
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d")


def stage(dist: Path, staging: Path, version: str) -> None:
    """The package's file tree under `staging`, as dpkg will install it."""
    shutil.copytree(dist, staging / "opt" / PACKAGE, symlinks=True)
    bin_dir = staging / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("rounds", "rounds-cli"):
        (bin_dir / name).symlink_to(Path("..", "..", "opt", PACKAGE, name))
    share = staging / "usr" / "share"
    _copy(LINUX / "rounds.desktop", share / "applications" / "rounds.desktop")
    metainfo = (LINUX / "rounds.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", version).replace("@DATE@", release_date())
    target = share / "metainfo" / f"{APPSTREAM_ID}.metainfo.xml"
    target.parent.mkdir(parents=True)
    target.write_text(metainfo, encoding="utf-8")
    icons = ROOT / "resources" / "icons"
    for png in icons.glob("rounds-*.png"):
        side = png.stem.removeprefix("rounds-")
        _copy(png, share / "icons" / "hicolor" / f"{side}x{side}" / "apps" / "rounds.png")
    _copy(icons / "rounds.svg", share / "icons" / "hicolor" / "scalable" / "apps" / "rounds.svg")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o644)


def build_deb(dist: Path, out: Path, work: Path) -> Path:
    if not (dist / "rounds").is_file() or not (dist / "rounds-cli").is_file():
        raise SystemExit(f"deb: no build at {dist} (run `make dist` first)")
    version = project_version()
    staging = work / f"{PACKAGE}-deb"
    shutil.rmtree(staging, ignore_errors=True)
    stage(dist, staging, version)
    glibc = "{}.{}".format(*minimum_glibc(dist))
    depends = [f"libc6 (>= {glibc})", *SYSTEM_LIBRARIES, *qt_libraries()]
    size = sum(p.stat().st_size for p in staging.rglob("*") if p.is_file() and not p.is_symlink())
    (staging / "DEBIAN").mkdir()
    (staging / "DEBIAN" / "control").write_text(
        control(version, depends, size // 1024 + 1), encoding="utf-8"
    )
    out.mkdir(parents=True, exist_ok=True)
    package = out / f"{PACKAGE}_{version}_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(staging), str(package)],
        check=True,
        timeout=900,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(staging)
    return package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "rounds")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    args = parser.parse_args(argv)
    package = build_deb(args.dist, args.out, args.work)
    print(f"deb: {package}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
