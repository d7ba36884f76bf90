"""The delivery kernel's logic: the attention gate, refusals sorted into retry or give up,
stable transaction ids, and the outbox (on a real SQLite database, with a recording stand-in
for the Matrix layer): order per room through retries, one send per transaction id, held
direct messages and their release."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.delivery import Inbox, Outbox, acting_for
from homeoffice_bot.kernel.delivery import outbox as outbox_module
from homeoffice_bot.kernel.delivery.gate import NOTICE, TEXT, decide
from homeoffice_bot.kernel.delivery.inbox import new_txn_id
from homeoffice_bot.kernel.errors import SendError, TemporarySendError
from homeoffice_bot.kernel.formatting import mention
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS
from homeoffice_bot.kernel.matrix.content import edit_content, send_failure
from homeoffice_bot.kernel.storage import Database

ANNA, BEN = UserID("@anna:example.org"), UserID("@ben:example.org")
ROOM, OTHER = RoomID("!team:example.org"), RoomID("!other:example.org")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

# ---------------------------------------------------------------- the gate


def test_a_person_who_is_off_keeps_the_name_but_loses_the_pill() -> None:
    verdict = decide(mentioned=[ANNA, BEN], may_alert={ANNA: True, BEN: False}, alert=True)
    assert (verdict.hold, verdict.pills, verdict.plain) == (False, (ANNA,), (BEN,))
    assert verdict.msgtype == TEXT


def test_a_reminder_whose_people_are_all_off_stays_a_quiet_notice() -> None:
    verdict = decide(mentioned=[BEN], may_alert={BEN: False}, alert=True)
    assert (verdict.plain, verdict.msgtype) == ((BEN,), NOTICE)


def test_confirmations_and_boards_are_notices_even_with_mentions() -> None:
    assert decide(mentioned=[ANNA], may_alert={ANNA: True}, alert=False).msgtype == NOTICE


def test_a_direct_message_to_someone_off_is_held_and_one_to_someone_working_alerts() -> None:
    held = decide(mentioned=[], may_alert={BEN: False}, alert=True, dm_partner=BEN)
    assert (held.hold, held.msgtype) == (True, TEXT), "it alerts when it is sent later"
    working = decide(mentioned=[], may_alert={BEN: True}, alert=True, dm_partner=BEN)
    assert (working.hold, working.msgtype) == (False, TEXT)


def test_an_at_room_reminder_alerts() -> None:
    assert decide(mentioned=[], may_alert={}, alert=True, mention_room=True).msgtype == TEXT


# ---------------------------------------------------------------- refusals


def _error(errcode: str | None, status: int | None, retry_after_ms: int | None = None) -> Any:
    transport = SimpleNamespace(status=status) if status is not None else None
    return SimpleNamespace(
        status_code=errcode, message="no", transport_response=transport,
        retry_after_ms=retry_after_ms,
    )  # fmt: skip


def test_rate_limits_and_server_errors_are_retried_refusals_are_final() -> None:
    limited = send_failure("send", _error("M_LIMIT_EXCEEDED", 429, 1500))
    assert isinstance(limited, TemporarySendError)
    assert limited.retry_after == 1.5
    assert isinstance(send_failure("send", _error("M_UNKNOWN", 502)), TemporarySendError)
    assert isinstance(send_failure("send", _error(None, None)), TemporarySendError)
    forbidden = send_failure("send", _error("M_FORBIDDEN", 403))
    assert not isinstance(forbidden, TemporarySendError)
    assert forbidden.status == "M_FORBIDDEN"


def test_an_edit_notifies_only_people_it_mentions_for_the_first_time() -> None:
    new = {"msgtype": "m.notice", "body": "b", "formatted_body": "f", "m.mentions": {
        "user_ids": [ANNA]}}  # fmt: skip
    content = edit_content(EventID("$1"), new, newly_mentioned=[])
    assert content["m.mentions"] == {"user_ids": []}
    assert content["m.new_content"]["m.mentions"] == {"user_ids": [ANNA]}


# ---------------------------------------------------------------- transaction ids


def test_the_same_origin_gives_the_same_transaction_ids_in_the_same_order() -> None:
    with acting_for("$event/0"):
        first = [new_txn_id(), new_txn_id()]
    with acting_for("$event/0"):
        again = [new_txn_id(), new_txn_id()]
    with acting_for("$event/1"):
        other = new_txn_id()
    assert first == again
    assert first[0] != first[1]
    assert other not in first
    assert new_txn_id() != new_txn_id()  # outside any origin: random


# ---------------------------------------------------------------- the outbox


@dataclass
class FakeMatrix:
    """The Matrix layer's sending side: records sends, fails on demand."""

    sent: list[tuple[RoomID, str, dict[str, Any]]] = field(default_factory=list)
    by_txn: dict[str, EventID] = field(default_factory=dict)
    failures: list[Exception] = field(default_factory=list)

    async def send_content(
        self, room_id: RoomID, event_type: str, content: dict[str, Any], *, txn_id: str
    ) -> EventID:
        if self.failures:
            raise self.failures.pop(0)
        if txn_id in self.by_txn:  # the homeserver's idempotency
            return self.by_txn[txn_id]
        self.sent.append((room_id, event_type, content))
        self.by_txn[txn_id] = EventID(f"$e{len(self.sent)}")
        return self.by_txn[txn_id]

    def names_for(self, room_id: RoomID | None, users: list[UserID]) -> dict[str, str]:
        return {u: u[1:].split(":")[0].capitalize() for u in users}

    async def direct_room(self, user_id: UserID) -> RoomID:
        return RoomID(f"!dm-{user_id[1:]}")

    def has_joined(self, room_id: RoomID, user_id: UserID) -> bool:
        return True


@dataclass
class FakeAttention:
    off: set[UserID] = field(default_factory=set)
    missed_by: list[UserID] = field(default_factory=list)

    async def may_alert(self, user_id: UserID, at: datetime) -> bool:
        return user_id not in self.off

    async def next_alert(self, user_id: UserID, after: datetime) -> datetime | None:
        return after + timedelta(hours=12)

    async def missed(
        self, user_id: UserID, room_id: RoomID, event_id: EventID, excerpt: str
    ) -> None:
        self.missed_by.append(user_id)


Parts = tuple[Outbox, FakeMatrix, FakeAttention, Database]


async def sent_at_last(matrix: FakeMatrix) -> None:
    """Wait (a second at most) until the outbox's sender task has sent something."""
    for _ in range(100):
        if matrix.sent:
            return
        await asyncio.sleep(0.01)


@pytest.fixture
async def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Parts]:
    monkeypatch.setattr(outbox_module, "FIRST_RETRY_SECONDS", 0.01)
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("kernel", MIGRATIONS)
    matrix, attention = FakeMatrix(), FakeAttention()
    box = Outbox(db, cast(Any, matrix), FixedClock(NOW), attention=lambda: attention)
    yield box, matrix, attention, db
    await box.stop(timeout=1)
    await db.close()


async def test_a_passing_fault_is_retried_and_the_room_keeps_its_order(parts: Parts) -> None:
    box, matrix, _, _ = parts
    matrix.failures = [TemporarySendError("down"), TemporarySendError("still down")]
    first, second = await asyncio.gather(box.send(ROOM, "eins"), box.send(ROOM, "zwei"))
    assert [content["body"] for _, _, content in matrix.sent] == ["eins", "zwei"]
    assert (first, second) == ("$e1", "$e2")
    assert box.stats.retries == 2
    assert await box.depth() == 0


async def test_a_replayed_handler_gets_the_first_answer_back_instead_of_a_second(
    parts: Parts,
) -> None:
    box, matrix, _, _ = parts
    with acting_for("$command/0", ANNA):
        first = await box.send(ROOM, "Antwort")
    with acting_for("$command/0", ANNA):  # the same event handled again after a crash
        again = await box.send(ROOM, "Antwort")
    assert first == again
    assert len(matrix.sent) == 1


async def test_a_refusal_drops_the_row_and_tells_the_caller(parts: Parts) -> None:
    box, matrix, _, _ = parts
    matrix.failures = [SendError("the bot was kicked", status="M_FORBIDDEN")]
    with pytest.raises(SendError):
        await box.send(ROOM, "weg")
    assert box.stats.refused == 1
    assert await box.depth() == 0
    assert await box.send(ROOM, "weiter") == "$e1"  # the room's queue goes on


async def test_mentions_of_people_who_are_off_lose_their_pill(parts: Parts) -> None:
    box, matrix, attention, _ = parts
    attention.off = {BEN}
    await box.send(ROOM, f"Erinnerung: {mention(ANNA)} und {mention(BEN)}", alert=True)
    (_, _, content) = matrix.sent[0]
    assert content["msgtype"] == "m.text"
    assert content["m.mentions"] == {"user_ids": [ANNA]}
    assert "Ben" in content["body"]
    assert BEN not in content["formatted_body"]
    assert attention.missed_by == [BEN]


async def test_a_reply_to_someones_own_command_reaches_them_even_when_off(parts: Parts) -> None:
    box, matrix, attention, _ = parts
    attention.off = {BEN}
    with acting_for("$late-command/0", BEN):
        await box.dm(BEN, "Deine Daten")
    await sent_at_last(matrix)
    assert [content["body"] for _, _, content in matrix.sent] == ["Deine Daten"]


async def test_a_direct_message_to_someone_off_waits_for_their_start(parts: Parts) -> None:
    box, matrix, attention, _ = parts
    attention.off = {BEN}
    await box.dm(BEN, "Frage 1/3", alert=True)
    await asyncio.sleep(0.05)
    assert matrix.sent == []
    assert await box.held_count() == 1

    await box.tick(NOW + timedelta(hours=13))  # due, but he is still off: put off again
    await asyncio.sleep(0.05)
    assert (matrix.sent, await box.held_count()) == ([], 1)

    attention.off = set()
    assert await box.release(BEN) == 1
    await sent_at_last(matrix)
    ((room, _, content),) = matrix.sent
    assert (room, content["body"], content["msgtype"]) == ("!dm-ben:example.org", "Frage 1/3",
                                                           "m.text")  # fmt: skip
    assert await box.held_count() == 0


async def test_rows_left_by_an_earlier_run_are_sent_at_start(parts: Parts) -> None:
    box, matrix, _, db = parts
    stopped = Outbox(db, cast(Any, matrix), FixedClock(NOW), ready=asyncio.Event())
    with acting_for("$before-the-crash/0"):
        pending = asyncio.ensure_future(stopped.send(OTHER, "liegen geblieben"))
        await asyncio.sleep(0.05)  # queued, never sent: its sender waits for a sync
    await stopped.stop(timeout=0.1)
    pending.cancel()
    assert await box.depth() == 1
    await box.start()
    await sent_at_last(matrix)
    assert [content["body"] for _, _, content in matrix.sent] == ["liegen geblieben"]


async def test_the_inbox_skips_what_it_recorded(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("kernel", MIGRATIONS)
    inbox = Inbox(db)
    assert not await inbox.seen("$1")
    await inbox.record("$1", NOW)
    assert await inbox.seen("$1")
    assert inbox.replays_skipped == 1
    await inbox.prune(NOW + timedelta(days=8))
    assert not await inbox.seen("$1")
    await db.close()
