"""Why a course package cannot be written or read: one sentence each, translatable."""

from __future__ import annotations

from desktop_app.text import Message, translate


class PackageError(Exception):
    """The package is refused (or cannot be written); `message` says why in one sentence."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


NOT_DOWNLOADED = translate(
    "packages",
    "“{course}” is not downloaded on this computer yet: download it first, then export it.",
)
UNKNOWN_COURSE = translate(
    "packages", "There is no course “{course_id}” in this computer's catalog."
)
DAMAGED = translate(
    "packages", "The package is damaged or incomplete (it is not a whole zip file)."
)
NOT_A_PACKAGE = translate("packages", "The file is not a Rounds course package.")
ESCAPING_PATH = translate(
    "packages", "The package holds a file that would land outside its folder ({name})."
)
SYMLINK = translate("packages", "The package holds a symbolic link ({name}).")
UNEXPECTED_ENTRY = translate(
    "packages", "The package holds a file its manifest does not list ({name})."
)
MISSING_ENTRY = translate("packages", "The package lacks a file its manifest lists ({name}).")
TOO_BIG = translate(
    "packages", "The package unpacks to more than {limit}, more than a course package may hold."
)
BOMB = translate(
    "packages",
    "The package's file {name} unpacks to more than it declares (a “zip bomb”); it was refused.",
)
HASH_MISMATCH = translate("packages", "The package's file {name} does not match its checksum.")
BAD_SIGNATURE = translate(
    "packages",
    "The package's signature does not match: it was altered or not signed by the server.",
)
OTHER_SERVER = translate(
    "packages", "The package was made for another server than the one you use ({server})."
)
NO_KEY = translate(
    "packages",
    "The server's signing key is not known on this computer yet: sign in once while online, "
    "then import the package again.",
)
NEEDS_SERVER = translate(
    "packages",
    "Exporting a course package needs the server, which signs it: connect and try again.",
)
BAD_KEY = translate("packages", "The server's signing key could not be read.")
