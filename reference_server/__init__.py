"""Reference implementation of the Rounds remote API, version 1.

`ReferenceServer` runs it in-process (tests, the demo); `python -m reference_server` runs it
from the command line. `verify_badge_token` checks an attendee badge offline."""

from reference_server.badges import BadgeClaims, InvalidBadgeToken, verify_badge_token
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

__all__ = [
    "SAMPLE_CURRICULUM",
    "BadgeClaims",
    "InvalidBadgeToken",
    "ReferenceServer",
    "verify_badge_token",
]
