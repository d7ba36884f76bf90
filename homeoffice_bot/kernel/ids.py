"""Typed identifiers for Matrix objects, and the one rule for what a user id looks like."""

from __future__ import annotations

import re
from typing import NewType

UserID = NewType("UserID", str)
RoomID = NewType("RoomID", str)
EventID = NewType("EventID", str)

LOCALPART = r"[a-z0-9._=\-/+]+"
SERVER_NAME = r"(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.\-]{1,255})(?::[0-9]{1,5})?"
USER_ID = rf"@{LOCALPART}:{SERVER_NAME}"
"""A Matrix user id (``@anna:example.org``, ``@ben:[::1]:8448``) as a pattern to embed in
others; ``is_user_id`` checks a whole text."""
MAX_USER_ID = 255
_USER_ID_RE = re.compile(USER_ID)


def is_user_id(text: str) -> bool:
    """Whether ``text`` is exactly one Matrix user id (at most 255 characters)."""
    return len(text) <= MAX_USER_ID and _USER_ID_RE.fullmatch(text) is not None
