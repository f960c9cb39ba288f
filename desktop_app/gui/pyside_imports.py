"""PySide6's look at every import, made without keeping each module's source in memory.

PySide6 6.12 checks each module imported after it for the word "PySide6" (its `__feature__`
switch, PYSIDE-2029) with `inspect.getsource`, which leaves the whole text of every module in
`linecache`: about 24 MB for the 650 modules a start imports, scattered among the objects that
stay, so emptying the cache afterwards gives back nothing. The same search over the file's
bytes, read and dropped, answers the same for every module with a source file, and as PySide6
does, False for one without (an extension, a bundle's bytecode).
"""

from __future__ import annotations

import sys
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"


def check_imports_lightly() -> bool:
    """Replace PySide6's check (once PySide6 is imported); False where its private hook is
    not there to replace, which leaves PySide6 as it is."""
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = names_pyside  # type: ignore[attr-defined]
    return True


def names_pyside(module: ModuleType) -> bool:
    """Whether the source file of `module` contains "PySide6"."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False
