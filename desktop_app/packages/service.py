"""Course packages for one account: export with its server's signature, import with the key
kept from its server (fetched now if online and not kept yet)."""

from __future__ import annotations

from pathlib import Path

from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.config import AccountPaths
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.packages.export import ExportResult, export_course
from desktop_app.packages.importer import ImportResult, import_package
from desktop_app.packages.refusals import NEEDS_SERVER, NO_KEY, PackageError
from desktop_app.packages.server_key import fetch_key, known_key


class CoursePackages:
    """Export and import of course packages for the account whose folder is `paths`."""

    def __init__(
        self, paths: AccountPaths, db: Database, store: ContentStore, api: ApiClient | None
    ) -> None:
        self._paths, self._db, self._store, self._api = paths, db, store, api

    @classmethod
    def of(cls, account: Account, store: ContentStore) -> CoursePackages:
        api = None if account.offline else account.api
        return cls(account.paths, account.db, store, api)

    @property
    def server_id(self) -> str:
        return self._paths.recorded().server_id

    def export(self, course_id: str, target: Path) -> ExportResult:
        """Needs the network: the server signs the manifest. Keeps the server's key too."""
        if self._api is None:
            raise PackageError(NEEDS_SERVER.format())
        result = export_course(self._api, self._db, self._store, self.server_id, course_id, target)
        fetch_key(self._api, self.server_id, self._paths.root)
        return result

    def import_file(self, path: Path) -> ImportResult:
        """Works offline once the server's key is kept here."""
        key = known_key(self._api, self.server_id, self._paths.root) if self.server_id else None
        if key is None:
            raise PackageError(NO_KEY.format())
        return import_package(path, self._store, self._db, key)
