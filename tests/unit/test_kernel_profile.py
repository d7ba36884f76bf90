"""Profile fields of other accounts (``m.tz``): cached, shared while running, errors are
"not set" for a while."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.matrix import profile as profile_module
from homeoffice_bot.kernel.matrix.profile import ProfileMixin

ANNA = UserID("@anna:example.org")


class Client:
    user_id = "@bot:example.org"


class Account(ProfileMixin):
    def __init__(self, tmp_path: Path, answers: list[Any]) -> None:
        super().__init__(Client(), data_dir=tmp_path)  # type: ignore[arg-type]
        self.answers = answers
        self.requests: list[tuple[str, str, str]] = []
        self.gate: asyncio.Event | None = None

    async def _profile_request(
        self, method: str, user_id: UserID, field: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        self.requests.append((method, user_id, field))
        if self.gate is not None:
            await self.gate.wait()
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[no-any-return]


async def test_a_field_is_asked_once_and_then_read_from_the_cache(tmp_path: Path) -> None:
    account = Account(tmp_path, [{"m.tz": "Europe/Berlin"}, {"m.tz": "Asia/Tokyo"}])
    assert await account.profile_field(ANNA, "m.tz") == "Europe/Berlin"
    assert await account.profile_field(ANNA, "m.tz") == "Europe/Berlin"
    assert len(account.requests) == 1
    assert await account.profile_field(ANNA, "m.tz", fresh=True) == "Asia/Tokyo"
    assert await account.profile_field(ANNA, "m.tz") == "Asia/Tokyo"
    assert len(account.requests) == 2


async def test_not_set_not_text_and_errors_are_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = Account(tmp_path, [None, {"m.tz": 5}, MatrixError("502"), {"m.tz": "UTC"}])
    assert await account.profile_field(ANNA, "m.tz") is None
    assert await account.profile_field(ANNA, "m.tz", fresh=True) is None
    assert await account.profile_field(ANNA, "m.tz", fresh=True) is None
    assert await account.profile_field(ANNA, "m.tz") is None  # an error is kept a while
    assert len(account.requests) == 3
    monkeypatch.setattr(profile_module, "PROFILE_RETRY", -1.0)  # the retry time is over
    account.answers.insert(0, MatrixError("timeout"))
    assert await account.profile_field(ANNA, "m.tz", fresh=True) is None
    assert await account.profile_field(ANNA, "m.tz") == "UTC"  # asked again after it
    assert len(account.requests) == 5


async def test_lookups_at_the_same_time_share_one_request(tmp_path: Path) -> None:
    account = Account(tmp_path, [{"m.tz": "Europe/Berlin"}])
    account.gate = asyncio.Event()
    lookups = [asyncio.create_task(account.profile_field(ANNA, "m.tz")) for _ in range(5)]
    await asyncio.sleep(0)
    account.gate.set()
    assert await asyncio.gather(*lookups) == ["Europe/Berlin"] * 5
    assert len(account.requests) == 1
