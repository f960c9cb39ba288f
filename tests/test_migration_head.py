"""The newest migration is known without alembic, and a cache already there never loads it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from desktop_app.db import Database, alembic_config, head_revision, stored_revision


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_cache_at_the_head_opens_without_importing_alembic(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    Database(path).close()
    assert stored_revision(path) == head_revision()
    opened = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from desktop_app.db import Database; "
         f"Database(Path({str(path)!r})).close(); print('alembic' in sys.modules)"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert opened.stdout.strip() == "False"
