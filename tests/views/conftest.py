"""Widget tests; some talk to the reference server over loopback."""

from __future__ import annotations

from server_fixture import curriculum_data as curriculum_data
from server_fixture import reference_server as reference_server
