"""Profile fields of other accounts (``m.tz``): cached, shared while running, errors are
"not set" for a while."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import UserID
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


async def test_not_set_and_not_text_are_none(tmp_path: Path) -> None:
    account = Account(tmp_path, [None, {"m.tz": 5}, {"m.tz": "x" * 2000}])
    assert await account.profile_field(ANNA, "m.tz") is None
    assert await account.profile_field(ANNA, "m.tz", fresh=True) is None
    assert await account.profile_field(ANNA, "m.tz", fresh=True) is None
    assert await account.profile_field(ANNA, "m.tz") is None
    assert len(account.requests) == 3


async def test_while_the_homeserver_cannot_answer_the_last_value_stays_and_nobody_waits(
    tmp_path: Path,
) -> None:
    ben = UserID("@ben:example.org")
    account = Account(tmp_path, [{"m.tz": "Asia/Tokyo"}, MatrixError("502"), {"m.tz": "UTC"}, None])
    assert await account.profile_field(ANNA, "m.tz") == "Asia/Tokyo"
    assert await account.profile_field(ANNA, "m.tz", fresh=True) == "Asia/Tokyo"  # kept
    assert await account.profile_field(ANNA, "m.tz") == "Asia/Tokyo"
    assert await account.profile_field(ben, "m.tz") is None  # not asked while it is down
    assert len(account.requests) == 2
    account._profile_down_until = 0.0  # the retry time is over
    assert await account.profile_field(ANNA, "m.tz", fresh=True) == "UTC"
    assert await account.profile_field(ben, "m.tz") is None
    assert len(account.requests) == 4


async def test_lookups_at_the_same_time_share_one_request(tmp_path: Path) -> None:
    account = Account(tmp_path, [{"m.tz": "Europe/Berlin"}])
    account.gate = asyncio.Event()
    lookups = [asyncio.create_task(account.profile_field(ANNA, "m.tz")) for _ in range(5)]
    await asyncio.sleep(0)
    account.gate.set()
    assert await asyncio.gather(*lookups) == ["Europe/Berlin"] * 5
    assert len(account.requests) == 1
