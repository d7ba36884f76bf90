"""Who gets the stand-up's reminder: a person may turn it off in the workday
(``!erinnerungen standup aus``); the stand-up asks through the workday's api."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.api import Availability

log = logging.getLogger(__name__)


async def wanting_reminder(availability: Availability | None, users: Sequence[str]) -> list[str]:
    """Those of ``users`` who have not turned the stand-up reminder off, in order
    (everyone when the workday is not loaded or cannot say for someone)."""
    if availability is None:
        return list(users)
    wanting = []
    for user in users:
        try:
            if not await availability.wants_standup_reminder(UserID(user)):
                continue
        except Exception:
            log.exception("reminder setting of %s unknown; reminding them", user)
        wanting.append(user)
    return wanting
