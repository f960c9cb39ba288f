"""Sharing tests: real share servers and real reference servers on loopback."""

from __future__ import annotations

import sys
from pathlib import Path

# The course samples of the download tests (published on the server, mirrored into a cache).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "downloads"))
