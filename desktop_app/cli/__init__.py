"""Headless commands: `python -m desktop_app COMMAND` (sync, status, download, checkin, …)."""
