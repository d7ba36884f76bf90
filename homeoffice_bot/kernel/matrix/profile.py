"""Profile fields of other accounts (``GET /_matrix/client/v3/profile/{userId}/{field}``,
extended profiles since spec v1.16), e.g. a person's ``m.tz``.

Values are cached per (person, field): a board that shows ten people does not ask the
homeserver ten times per render. An answer is kept for ``PROFILE_TTL``; an unreachable
homeserver or an error answer is kept for ``PROFILE_RETRY`` (the caller gets None, as for
a field that is not set), so that a slow homeserver never slows every render. Lookups of
the same field running at once share one request.
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
PROFILE_TIMEOUT = 10.0
MAX_FIELD_VALUE = 1000
"""Longer values are not a field a feature can use (a zone name, a pronoun)."""

_Key = tuple[str, str]


class ProfileMixin(AccountBase):
    def __init__(self, client: nio.AsyncClient, *, data_dir: Path) -> None:
        super().__init__(client, data_dir=data_dir)
        self._profile_cache: dict[_Key, tuple[float, str | None]] = {}
        self._profile_pending: dict[_Key, asyncio.Task[tuple[str | None, bool]]] = {}

    async def profile_field(
        self, user_id: UserID, field: str, *, fresh: bool = False
    ) -> str | None:
        """The person's profile field ``field`` as text (None: not set, not text, or the
        homeserver could not say). Cached (see the module); ``fresh`` asks again now."""
        cache, pending = self._profile_cache, self._profile_pending
        key = (str(user_id), field)
        loop = asyncio.get_running_loop()
        cached = cache.get(key)
        if cached is not None and not fresh and cached[0] > loop.time():
            return cached[1]
        task = pending.get(key)
        if task is None:
            task = loop.create_task(self._fetch_profile_field(user_id, field))
            pending[key] = task
            task.add_done_callback(lambda _: pending.pop(key, None))
        value, answered = await asyncio.shield(task)
        cache[key] = (loop.time() + (PROFILE_TTL if answered else PROFILE_RETRY), value)
        return value

    async def _fetch_profile_field(self, user_id: UserID, field: str) -> tuple[str | None, bool]:
        """(value, whether the homeserver answered)."""
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
                if response.status == 404:
                    return None
                if response.status >= 400:
                    raise MatrixError(f"profile {method} answered {response.status}")
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise MatrixError(f"profile {method} failed: {exc!r}") from exc
        return answer if isinstance(answer, dict) else {}
