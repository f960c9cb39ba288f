"""A package that is not exactly what the server signed is refused with one sentence, and the
content store and the cache are left as they were."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from packages_samples import Elsewhere, Exported, course_ids, files_in, rebuild

from desktop_app.packages import PackageError
from desktop_app.packages import archive as package_archive
from reference_server.server import ReferenceServer

Make = Callable[[Exported, Path, ReferenceServer], Path]


def _extra(name: str) -> Make:
    return lambda e, out, server: rebuild(e.package, out, server, extra=[zipfile.ZipInfo(name)])


def _symlink(e: Exported, out: Path, server: ReferenceServer) -> Path:
    link = zipfile.ZipInfo("files/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return rebuild(e.package, out, server, extra=[link])


def _first(e: Exported) -> str:
    return e.published.digests[0]


def _tampered_file(e: Exported, out: Path, server: ReferenceServer) -> Path:
    digest = _first(e)
    forged = bytes(reversed(e.published.data[digest]))
    return rebuild(e.package, out, server, files={digest: forged})


def _edited_manifest(e: Exported, out: Path, _server: ReferenceServer) -> Path:
    def retitle(document: dict[str, Any]) -> None:
        document["catalog"]["title"] = "Something else"

    return rebuild(e.package, out, None, manifest=retitle)


def _other_server(e: Exported, out: Path, server: ReferenceServer) -> Path:
    def move(document: dict[str, Any]) -> None:
        document["server_id"] = "another-server"

    return rebuild(e.package, out, server, manifest=move)


def _truncated(e: Exported, out: Path, _server: ReferenceServer) -> Path:
    raw = e.package.read_bytes()
    out.write_bytes(raw[: len(raw) * 2 // 3])
    return out


def _lying_header(e: Exported, out: Path, server: ReferenceServer) -> Path:
    """A listed file whose header and manifest say 1000 bytes; it unpacks to 64 MiB."""
    digest = "ab" * 32

    def list_small(document: dict[str, Any]) -> None:
        document["files"].append({"sha256": digest, "size": 1000})

    rebuild(e.package, out, server, manifest=list_small)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"files/{digest}", bytes(64 * 1024 * 1024))
        archive.getinfo(f"files/{digest}").file_size = 1000  # the central directory lies
    return out


def _high_ratio(e: Exported, out: Path, server: ReferenceServer) -> Path:
    """A listed file that declares its real size, 64 MiB of zeros in a few kB."""
    digest = "cd" * 32

    def list_big(document: dict[str, Any]) -> None:
        document["files"].append({"sha256": digest, "size": 64 * 1024 * 1024})

    rebuild(e.package, out, server, manifest=list_big)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"files/{digest}", bytes(64 * 1024 * 1024))
    return out


def _over_the_cap(e: Exported, out: Path, server: ReferenceServer) -> Path:
    def declare_huge(document: dict[str, Any]) -> None:
        document["files"][0]["size"] = package_archive.MAX_TOTAL_BYTES

    return rebuild(e.package, out, server, manifest=declare_huge)


CASES: dict[str, tuple[Make, str]] = {
    "parent folder": (_extra("files/../../escape"), "would land outside its folder"),
    "absolute path": (_extra("/etc/escape"), "would land outside its folder"),
    "drive letter": (_extra("C:/escape"), "would land outside its folder"),
    "backslashes": (_extra("files\\..\\escape"), "would land outside its folder"),
    "symbolic link": (_symlink, "holds a symbolic link"),
    "unlisted entry": (_extra("files/extra"), "its manifest does not list"),
    "hash mismatch": (_tampered_file, "does not match its checksum"),
    "bad signature": (_edited_manifest, "signature does not match"),
    "other server": (_other_server, "made for another server"),
    "truncated zip": (_truncated, "damaged or incomplete"),
    "declared size lies": (_lying_header, "unpacks to more than it declares"),
    "compression ratio": (_high_ratio, "unpacks to more than it declares"),
    "absolute cap": (_over_the_cap, "more than a course package may hold"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_bad_package_is_refused_and_changes_nothing(
    case: str,
    exported: Exported,
    elsewhere: Elsewhere,
    reference_server: ReferenceServer,
    tmp_path: Path,
) -> None:
    make, reason = CASES[case]
    package = make(exported, tmp_path / "bad.zip", reference_server)
    elsewhere.store.root.mkdir(parents=True)
    before = files_in(elsewhere.store.root)

    with pytest.raises(PackageError) as refused:
        elsewhere.packages.import_file(package)

    assert reason in refused.value.message
    assert "\n" not in refused.value.message
    assert files_in(elsewhere.store.root) == before
    assert not list(elsewhere.store.root.rglob("import-*"))
    assert course_ids(elsewhere.db) == set()


def test_the_good_package_beside_them_is_imported(
    exported: Exported, elsewhere: Elsewhere, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    """The rebuild itself keeps a package whole: refusals above come from what each changes."""
    package = rebuild(exported.package, tmp_path / "same.zip", reference_server)
    assert elsewhere.packages.import_file(package).files_added == 3


def _open_handles(path: Path) -> list[str]:
    folder = Path("/proc/self/fd")
    return [fd.name for fd in folder.iterdir() if os.path.realpath(fd) == str(path.resolve())]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_a_package_refused_for_an_entry_name_is_closed(tmp_path: Path) -> None:
    """While the refusal is shown, the package is not held open (on Windows it could not be
    moved or deleted)."""
    path = tmp_path / "escape.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("files/../../escape", b"x")
    with pytest.raises(PackageError) as refused:
        package_archive.PackageArchive(path)
    assert "outside its folder" in refused.value.message
    assert _open_handles(path) == []
