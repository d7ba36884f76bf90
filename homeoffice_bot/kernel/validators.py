"""Checks shared by the settings models of the kernel and of plugins (pydantic validators
call them; they raise ValueError with a message that names what is expected)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_HTTP_URL = re.compile(r"^https?://[^\s/]+")


def check_timezone(value: str) -> str:
    """An IANA time zone name such as Europe/Berlin."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
    return value


def check_http_url(value: str) -> str:
    """An http:// or https:// URL with a host."""
    if not _HTTP_URL.match(value):
        raise ValueError("must be an http:// or https:// URL")
    return value
