"""The Qt runtime: the start, the shell, the background runner, the heap and the probe.

PySide6 is imported here first, and its look at every later import made lighter
(`pyside_imports`), so that no module of the window's start is read into memory twice."""

import PySide6.QtCore  # noqa: F401  (its import hook exists once PySide6 has loaded)

from desktop_app.gui.pyside_imports import check_imports_lightly

check_imports_lightly()
