from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from digitalnah.debounce import Debounce
from digitalnah.model import Offering, OfferingState
from digitalnah.render import SiteSettings
from digitalnah.webhook import (
    DEFAULT_RETRY,
    SIGNATURE_HEADER,
    build_payload,
    request_headers,
    should_retry,
    sign,
    verify_signature,
)
from homeoffice_bot.kernel.ids import UserID

NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)


def test_sign_is_hmac_sha256_hex() -> None:
    # RFC 4231 test case 2
    assert sign(b"what do ya want for nothing?", "Jefe") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


def test_headers_and_verification() -> None:
    body = b'{"event":"published"}'
    headers = request_headers(body, "geheim")
    assert headers[SIGNATURE_HEADER] == (
        "sha256=" + hmac.new(b"geheim", body, hashlib.sha256).hexdigest()
    )
    assert headers["X-DigitalNah-Event"] == "published"
    assert verify_signature(body, "geheim", headers[SIGNATURE_HEADER])
    assert not verify_signature(body + b" ", "geheim", headers[SIGNATURE_HEADER])
    assert not verify_signature(body, "anders", headers[SIGNATURE_HEADER])


def test_payload_lists_only_approved_offerings() -> None:
    def offering(number: int, state: OfferingState) -> Offering:
        return Offering(
            submitter=UserID("@anna:example.org"),
            created_at=NOW,
            updated_at=NOW,
            id=number,
            title=f"Angebot {number}",
            description="<b>Text</b>",
            link=f"https://example.org/{number}",
            category="Umwelt",
            state=state,
            approved_at=NOW,
        )

    site = SiteSettings(base_url="https://bot.example.org")
    body = build_payload(
        [offering(1, OfferingState.APPROVED), offering(2, OfferingState.PENDING)],
        site,
        generated_at=NOW,
    )
    payload = json.loads(body)
    assert payload["event"] == "published"
    assert payload["generated_at"] == "2024-05-01T07:30:00Z"
    assert payload["page_url"] == "https://bot.example.org/digitalnah/"
    assert payload["count"] == 1
    assert [item["title"] for item in payload["items"]] == ["Angebot 1"]
    assert payload["items"][0]["content_text"] == "<b>Text</b>"
    assert b"@anna" not in body


@pytest.mark.parametrize(
    ("status", "expected"),
    [(None, True), (500, True), (503, True), (429, True), (408, True), (200, False), (404, False)],
)
def test_should_retry(status: int | None, expected: bool) -> None:
    assert should_retry(status) is expected


def test_retry_schedule() -> None:
    assert DEFAULT_RETRY.attempts == 3
    assert DEFAULT_RETRY.delays == (0.0, 10.0, 60.0)


def test_debounce_waits_for_quiet_but_not_forever() -> None:
    debounce = Debounce(quiet=timedelta(seconds=5), max_wait=timedelta(seconds=30))
    assert debounce.publish_due(NOW, NOW) == NOW + timedelta(seconds=5)
    assert debounce.publish_due(NOW, NOW + timedelta(seconds=10)) == NOW + timedelta(seconds=15)
    assert debounce.publish_due(NOW, NOW + timedelta(seconds=28)) == NOW + timedelta(seconds=30)
