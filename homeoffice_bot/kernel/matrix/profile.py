"""Profile fields of other accounts (``GET /_matrix/client/v3/profile/{userId}/{field}``,
extended profiles since spec v1.16), e.g. a person's ``m.tz``.

Values are cached per (person, field): a board that shows ten people does not ask the
homeserver ten times per render. An answer (also "not set" or "not for you to see") is
kept for ``PROFILE_TTL``. When the homeserver cannot answer (unreachable, too slow, a
server error or a rate limit), the last known value stays and no lookup asks again for
``PROFILE_RETRY``, so that an outage never slows every render. Lookups of the same field
running at once share one request.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import nio

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.matrix.rooms import AccountBase

log = logging.getLogger(__name__)

PROFILE_TTL = 3600.0
"""Seconds a profile field's value (or its absence) is used before asking again."""
PROFILE_RETRY = 300.0
"""Seconds before asking again after the homeserver could not answer."""
PROFILE_TIMEOUT = 5.0
MAX_FIELD_VALUE = 1000
"""Longer values are not a field a feature can use (a zone name, a pronoun)."""

_Key = tuple[str, str]


class ProfileMixin(AccountBase):
    def __init__(self, client: nio.AsyncClient, *, data_dir: Path) -> None:
        super().__init__(client, data_dir=data_dir)
        self._profile_cache: dict[_Key, tuple[float, str | None]] = {}
        self._profile_pending: dict[_Key, asyncio.Task[tuple[str | None, bool]]] = {}
        self._profile_down_until = 0.0
        """Until then (loop time) no lookup asks: the homeserver did not answer."""

    async def profile_field(
        self, user_id: UserID, field: str, *, fresh: bool = False
    ) -> str | None:
        """The person's profile field ``field`` as text (None: not set, not text, or not
        known). Cached (see the module); ``fresh`` asks again now. While the homeserver
        cannot answer, the last known value stays and nobody's lookup waits for it."""
        cache, pending = self._profile_cache, self._profile_pending
        key = (str(user_id), field)
        loop = asyncio.get_running_loop()
        cached = cache.get(key)
        known = cached[1] if cached is not None else None
        if cached is not None and not fresh and cached[0] > loop.time():
            return known
        if not fresh and loop.time() < self._profile_down_until:
            return known
        task = pending.get(key)
        if task is None:
            task = loop.create_task(self._fetch_profile_field(user_id, field))
            pending[key] = task
            task.add_done_callback(lambda _: pending.pop(key, None))
        value, answered = await asyncio.shield(task)
        if not answered:
            self._profile_down_until = loop.time() + PROFILE_RETRY
            cache[key] = (loop.time() + PROFILE_RETRY, known)
            return known
        cache[key] = (loop.time() + PROFILE_TTL, value)
        return value

    async def _fetch_profile_field(self, user_id: UserID, field: str) -> tuple[str | None, bool]:
        """(value, whether the homeserver answered; a refusal is an answer)."""
        try:
            body = await self._profile_request("GET", user_id, field)
        except MatrixError as exc:
            log.warning("profile field %s of %s not readable: %s", field, user_id, exc)
            return None, False
        if body is None:
            return None, True
        value = body.get(field)
        if not isinstance(value, str) or len(value) > MAX_FIELD_VALUE:
            log.info("profile field %s of %s is not short text; ignored", field, user_id)
            return None, True
        return value, True

    async def set_profile_field(self, field: str, value: str | None) -> None:
        """Set (or with None remove) a field of this account's own profile."""
        method, body = ("DELETE", None) if value is None else ("PUT", {field: value})
        await self._profile_request(method, self.user_id, field, body)
        self._profile_cache.pop((str(self.user_id), field), None)

    async def _profile_request(
        self, method: str, user_id: UserID, field: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """One profile request; None for "not set" (404). Errors become MatrixError."""
        client = self._client
        url = f"{client.homeserver}/_matrix/client/v3/profile/{quote(user_id)}/{quote(field)}"
        headers = {"Authorization": f"Bearer {client.access_token}"}
        timeout = aiohttp.ClientTimeout(total=PROFILE_TIMEOUT)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as http,
                http.request(method, url, json=body, headers=headers) as response,
            ):
                if response.status == 404 or (method == "GET" and response.status in (400, 403)):
                    return None  # not set, or not for us to see: an answer all the same
                if response.status >= 400:
                    raise MatrixError(f"profile {method} answered {response.status}")
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise MatrixError(f"profile {method} failed: {exc!r}") from exc
        return answer if isinstance(answer, dict) else {}
