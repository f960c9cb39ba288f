"""Whole-application tests: the shell and main window against the reference server."""

from __future__ import annotations

from server_fixture import curriculum_data as curriculum_data
from server_fixture import reference_server as reference_server
