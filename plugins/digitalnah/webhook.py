"""The pure part of the publishing webhook: payload, HMAC signature, retry schedule.

The receiver checks ``X-DigitalNah-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw
request body with the shared secret (as GitHub does), e.g. with ``verify_signature``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from digitalnah.model import Offering
from digitalnah.render.common import JSON_FEED_FILE, SiteSettings, published, rfc3339
from digitalnah.render.feeds import json_feed_item

SIGNATURE_HEADER = "X-DigitalNah-Signature"
EVENT_HEADER = "X-DigitalNah-Event"
SIGNATURE_PREFIX = "sha256="
PUBLISHED_EVENT = "published"


def sign(body: bytes, secret: str) -> str:
    """HMAC-SHA256 of ``body`` with ``secret`` (UTF-8), lower-case hex."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, secret: str, header_value: str) -> bool:
    """True when ``header_value`` is ``sha256=`` + the body's signature (constant time)."""
    return hmac.compare_digest(SIGNATURE_PREFIX + sign(body, secret), header_value.strip())


def build_payload(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    generated_at: datetime,
    event: str = PUBLISHED_EVENT,
) -> bytes:
    """The POST body: the event, when, where the page and feed are, and the published
    offerings as JSON Feed items. Compact JSON with sorted keys, UTF-8."""
    items = [json_feed_item(o, site) for o in published(offerings)]
    payload = {
        "event": event,
        "generated_at": rfc3339(generated_at),
        "page_url": site.page_url,
        "feed_url": site.url_for(JSON_FEED_FILE),
        "count": len(items),
        "items": items,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


FINGERPRINT_TIME = datetime(2000, 1, 1, tzinfo=UTC)
"""The time in the payload a fingerprint is taken of (so that it names only the content)."""


def content_hash(offerings: Sequence[Offering], site: SiteSettings) -> str:
    """A fingerprint of what the webhook would receive, without the time it was made."""
    body = build_payload(offerings, site, generated_at=FINGERPRINT_TIME)
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class Payload:
    """A webhook body ready to send (the render worker builds it with the files)."""

    body: bytes
    fingerprint: str
    """``content_hash`` of the offerings in it."""
    count: int
    """How many offerings are in it."""


def make_payload(offerings: Sequence[Offering], site: SiteSettings, now: datetime) -> Payload:
    body = build_payload(offerings, site, generated_at=now)
    return Payload(body, content_hash(offerings, site), len(published(offerings)))


def request_headers(body: bytes, secret: str, event: str = PUBLISHED_EVENT) -> dict[str, str]:
    """Headers to send with ``body``."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        EVENT_HEADER: event,
        SIGNATURE_HEADER: SIGNATURE_PREFIX + sign(body, secret),
    }


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempt ``n`` (0-based) waits ``delays[n]`` seconds before it is sent."""

    delays: tuple[float, ...] = (0.0, 10.0, 60.0)
    timeout_seconds: float = 10.0

    @property
    def attempts(self) -> int:
        return len(self.delays)


DEFAULT_RETRY = RetryPolicy()


def should_retry(status: int | None) -> bool:
    """Retry after a network error or timeout (``None``), 408, 429 and 5xx; not after
    other answers (2xx succeeded, other 4xx will not get better)."""
    return status is None or status in (408, 429) or status >= 500
