"""The colours of a page's one-line message: done, failed, or plain news, alike on every page."""

from __future__ import annotations

GOOD, BAD, PLAIN = "color: #2e7d32;", "color: #c62828;", "color: #444444;"
