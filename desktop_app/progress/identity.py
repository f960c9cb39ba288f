"""The learner's xAPI identity as the server stated it at the last sign-in, kept in the account's
folder (`xapi-identity.json`) so that statements made offline name the learner the same way.

The statements already in the log keep the actor they were made with: progress is never
rewritten. The accounts the learner was named by before (the folder's noted home pages) stay
aliases, so statements made under them, here or on another device, are still this learner's.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path

from desktop_app.api.payloads import StatedIdentity
from desktop_app.atomic_file import write_json_atomically

IDENTITY_FILE = "xapi-identity.json"
log = logging.getLogger(__name__)


def save_stated_identity(folder: Path, stated: StatedIdentity) -> None:
    """Keep what the server said, unless it is already kept."""
    path = folder / IDENTITY_FILE
    if load_stated_identity(folder) != stated:
        folder.mkdir(parents=True, exist_ok=True)
        write_json_atomically(path, asdict(stated), indent=2, sort_keys=True)


def load_stated_identity(folder: Path) -> StatedIdentity | None:
    """What the last sign-in stated, or None (no such sign-in yet, or an unreadable file)."""
    path = folder / IDENTITY_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        fields = {key: document[key] for key in StatedIdentity.__dataclass_fields__}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("The stated xAPI identity in %s cannot be read: %s", path, error)
        return None
    if not all(isinstance(value, str) for value in fields.values()):
        log.warning("The stated xAPI identity in %s is not text", path)
        return None
    return StatedIdentity(**fields)
