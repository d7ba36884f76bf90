"""Checks shared by the settings models of the kernel and of plugins (pydantic validators
call them; they raise ValueError with a message that names what is expected)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from homeoffice_bot.kernel.links import code_point, first_invisible

_HTTP_URL = re.compile(r"^https?://[^\s/]+")


def check_timezone(value: str) -> str:
    """An IANA time zone name such as Europe/Berlin."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
    return value


def check_http_url(value: str) -> str:
    """An http:// or https:// URL with a host and without invisible characters."""
    at = first_invisible(value)
    if at is not None:
        raise ValueError(
            f"contains an invisible character ({code_point(value[at])}) after {value[:at]!r};"
            " type the URL again"
        )
    if not _HTTP_URL.match(value):
        raise ValueError("must be an http:// or https:// URL")
    return value
