"""Reading a course package's zip without trusting it.

Every entry's name is checked before anything is read: no `..`, no absolute path, no drive
letter or backslash, no symbolic link, nothing the manifest does not list. The sizes the zip's
headers declare are compared with the manifest's, their total with `MAX_TOTAL_BYTES` and each
entry's compression ratio with `MAX_RATIO`; and while a file is unpacked its bytes are counted,
so an entry that unpacks to more than the manifest says is stopped one byte past it, whatever
its header claims.
"""

from __future__ import annotations

import copy
import hashlib
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from desktop_app.downloads.units import format_bytes
from desktop_app.packages.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    Manifest,
    PackageFile,
)
from desktop_app.packages.refusals import (
    BOMB,
    DAMAGED,
    ESCAPING_PATH,
    HASH_MISMATCH,
    MISSING_ENTRY,
    NOT_A_PACKAGE,
    SYMLINK,
    TOO_BIG,
    UNEXPECTED_ENTRY,
    PackageError,
)

MAX_TOTAL_BYTES = 16 * 1024**3  # a course of lecture videos is a few GB at most
MAX_RATIO = 200  # video and PDF barely compress; text compresses some 10 times
MAX_METADATA_BYTES = 32 * 1024**2  # the manifest of a course of thousands of lessons
CHUNK = 1024 * 1024
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class PackageArchive:
    """An open package; `check_entries` before `unpack`. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
            self._infos = {info.filename: info for info in self._zip.infolist()}
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            raise PackageError(DAMAGED.format()) from error
        try:
            for info in self._infos.values():
                _check_name(info)
        except PackageError:
            self._zip.close()  # refused before `with` took it: not held open while that is said
            raise

    def __enter__(self) -> PackageArchive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._zip.close()

    def metadata(self, name: str) -> bytes:
        """The manifest or the signature, read with a cap."""
        info = self._infos.get(name)
        if info is None:
            raise PackageError(NOT_A_PACKAGE.format())
        with self._reading(info, MAX_METADATA_BYTES) as stream:
            data = stream.read(MAX_METADATA_BYTES + 1)
        if len(data) > MAX_METADATA_BYTES:
            raise PackageError(BOMB.format(name=name))
        return data

    def check_entries(self, manifest: Manifest) -> None:
        """Every entry is listed, every listed file is there, with sane declared sizes."""
        if manifest.total_size > MAX_TOTAL_BYTES:
            raise PackageError(TOO_BIG.format(limit=format_bytes(MAX_TOTAL_BYTES)))
        listed = {item.entry: item for item in manifest.files}
        for name, info in self._infos.items():
            if name not in listed and name not in (MANIFEST_NAME, SIGNATURE_NAME):
                raise PackageError(UNEXPECTED_ENTRY.format(name=name[:80]))
            if name in listed:
                _check_declared(info, listed[name])
        for name in listed.keys() - self._infos.keys():
            raise PackageError(MISSING_ENTRY.format(name=name))

    def unpack(self, item: PackageFile, out: BinaryIO) -> None:
        """Copy one file out, counting and hashing its bytes as they come."""
        digest, count = hashlib.sha256(), 0
        with self._reading(self._infos[item.entry], item.size) as stream:
            while chunk := stream.read(CHUNK):
                count += len(chunk)
                if count > item.size:
                    raise PackageError(BOMB.format(name=item.sha256[:12]))
                digest.update(chunk)
                out.write(chunk)
        if count != item.size or digest.hexdigest() != item.sha256:
            raise PackageError(HASH_MISMATCH.format(name=item.sha256[:12]))

    @contextmanager
    def _reading(self, info: zipfile.ZipInfo, limit: int) -> Iterator[BinaryIO]:
        """The entry's bytes, unpacked up to one past `limit` whatever its header says."""
        if info.compress_type not in METHODS:
            raise PackageError(NOT_A_PACKAGE.format())
        bounded = copy.copy(info)
        bounded.file_size = limit + 1
        bounded.CRC = None  # type: ignore[assignment]  # SHA-256 and the signature check instead
        try:
            with self._zip.open(bounded) as stream:
                yield stream  # type: ignore[misc]
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise PackageError(DAMAGED.format()) from error


def _check_name(info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    escapes = (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
    )
    if escapes:
        raise PackageError(ESCAPING_PATH.format(name=name[:80]))
    if stat.S_ISLNK(info.external_attr >> 16):
        raise PackageError(SYMLINK.format(name=name[:80]))


def _check_declared(info: zipfile.ZipInfo, item: PackageFile) -> None:
    if info.is_dir() or info.file_size != item.size:
        raise PackageError(HASH_MISMATCH.format(name=item.sha256[:12]))
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) + CHUNK:
        raise PackageError(BOMB.format(name=item.sha256[:12]))
