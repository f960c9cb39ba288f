"""Course packages: a downloaded course written to one signed zip, to pre-load other computers
without the network (no Qt here).

- `export_course`: the course's files, a manifest (each file's SHA-256 and size, the course's
  catalog rows, the server's id) and the server's Ed25519 signature of the manifest.
- `import_package`: checks the signature, every entry and every file's hash, then places the
  files in the content store; a refused package changes nothing.
"""

from desktop_app.packages.export import ExportResult, export_course
from desktop_app.packages.importer import ImportResult, import_package
from desktop_app.packages.refusals import PackageError
from desktop_app.packages.server_key import ServerKey, cached_key, known_key
from desktop_app.packages.service import CoursePackages

__all__ = [
    "CoursePackages",
    "ExportResult",
    "ImportResult",
    "PackageError",
    "ServerKey",
    "cached_key",
    "export_course",
    "import_package",
    "known_key",
]
