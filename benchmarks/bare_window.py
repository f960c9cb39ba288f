"""The start-up benchmark's peer: a bare PySide6 `QMainWindow` that paints once and exits.

It reports its first paint through the same probe as Rounds (`desktop_app.gui.startup_probe`,
with `ROUNDS_REPORT_PAINT=1`), so both sides count from the process's start to the same event.
With `ROUNDS_EXIT_AFTER=5s` it stays open until then and reports its idle memory instead.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow

from desktop_app.gui.startup_probe import FIRST_PAINT, StartupProbe


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.resize(1180, 760)
    probe = StartupProbe.from_environment(app)
    if probe is not None:
        probe.watch(window, FIRST_PAINT)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
