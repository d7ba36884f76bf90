"""Sending the published offerings to the configured webhook: signed, retried, and only
when what is published changed (a restart or a change to a draft sends nothing).

A newer delivery replaces one still waiting for its next attempt: the receiver only
ever needs the latest list.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import aiohttp

from digitalnah.model import Offering
from digitalnah.render import SiteSettings
from digitalnah.store import OfferingStore
from digitalnah.webhook import (
    Payload,
    RetryPolicy,
    content_hash,
    make_payload,
    request_headers,
    should_retry,
)

log = logging.getLogger(__name__)

__all__ = ["WebhookSender", "content_hash", "post_with_retries"]


async def post_with_retries(
    url: str,
    body: bytes,
    headers: dict[str, str],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> tuple[bool, str]:
    """POST ``body`` until it is accepted or the policy gives up; (delivered, last outcome)."""
    outcome = "not sent"
    timeout = aiohttp.ClientTimeout(total=policy.timeout_seconds)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        for attempt, delay in enumerate(policy.delays, 1):
            if delay > 0:
                await sleep(delay)
            status: int | None = None
            try:
                async with http.post(url, data=body, headers=headers) as response:
                    status = response.status
                    await response.read()
                outcome = f"HTTP {status}"
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                outcome = f"{type(exc).__name__}: {exc}"[:200]
            if status is not None and 200 <= status < 300:
                return True, outcome
            log.warning("webhook attempt %d of %d: %s", attempt, policy.attempts, outcome)
            if not should_retry(status):
                break
    return False, outcome


class WebhookSender:
    def __init__(
        self,
        store: OfferingStore,
        url: str,
        secret: str,
        policy: RetryPolicy,
        spawn: Callable[..., asyncio.Task[Any]],
    ) -> None:
        self.store = store
        self.url = url
        self.secret = secret
        self.policy = policy
        self._spawn = spawn
        self._task: asyncio.Task[Any] | None = None
        self._sending_hash: str | None = None

    async def offer(self, offerings: Sequence[Offering], site: SiteSettings, now: datetime) -> None:
        """Send the published offerings if they differ from what the receiver last got
        (for a few; the bot's publishing has the render worker build the payload, see
        ``offer_payload``: with thousands of offerings that takes a while)."""
        await self.offer_payload(await asyncio.to_thread(make_payload, offerings, site, now))

    async def offer_payload(self, payload: Payload) -> None:
        """Send a ready payload if its content differs from what the receiver last got."""
        state = await self.store.publish_state()
        if payload.fingerprint in (state.webhook_hash, self._sending_hash):
            return
        if state.webhook_hash is None and not payload.count:
            return  # nothing was ever published: nothing to tell the receiver yet
        await self.cancel()
        self._sending_hash = payload.fingerprint
        self._task = self._spawn(
            self._deliver(payload.body, payload.fingerprint), "digitalnah webhook"
        )

    async def _deliver(self, body: bytes, fingerprint: str) -> None:
        headers = request_headers(body, self.secret)
        try:
            delivered, outcome = await post_with_retries(self.url, body, headers, self.policy)
        finally:
            self._sending_hash = None
        now = datetime.now(UTC)
        if delivered:
            await self.store.mark_webhook(delivered_hash=fingerprint, at=now, error=None)
        else:
            log.error("webhook %s gave up: %s", self.url, outcome)
            await self.store.mark_webhook(delivered_hash=None, at=now, error=outcome)

    async def cancel(self) -> None:
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._sending_hash = None

    async def wait(self, timeout: float) -> None:
        """Let a delivery in flight finish (e.g. while the bot stops)."""
        task = self._task
        if task is not None and not task.done():
            await asyncio.wait([task], timeout=timeout)
