"""The workday's SQL against a real SQLite file: round trips, once-only claims, the
export and deletion of one person's rows, and the retention purge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from workday_testing import berlin

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.hours import LeavePeriod
from homeoffice_bot.workday.schema import MIGRATIONS
from homeoffice_bot.workday.states import PresenceState, step_away, take_break
from homeoffice_bot.workday.store import WorkdayStore, from_iso, iso
from homeoffice_bot.workday.store_inbox import InboxStore
from homeoffice_bot.workday.store_privacy import PrivacyStore

ANNA = UserID("@anna:example.org")
BEN = UserID("@ben:example.org")
ROOM = RoomID("!team:example.org")
NOW = berlin(2024, 3, 12, 10)

INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)


@given(INSTANTS, INSTANTS)
def test_stored_instants_sort_as_text_like_in_time(a: datetime, b: datetime) -> None:
    assert (iso(a) < iso(b)) == (a < b)
    assert from_iso(iso(a)) == a


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "workday.sqlite3")
    await database.open()
    await database.migrate("workday", MIGRATIONS)
    yield database
    await database.close()


async def test_status_round_trip_keeps_the_private_note_private(db: Database) -> None:
    store = WorkdayStore(db)
    away = step_away(ANNA, NOW, NOW + timedelta(hours=1), "Zahnarzt", note_shared=False)
    await store.set_status(away)
    assert await store.status(ANNA) == away
    assert (await store.status(ANNA)).shared_note is None  # type: ignore[union-attr]
    await store.set_status(take_break(ANNA, NOW, None))
    assert (await store.statuses())[ANNA].state is PresenceState.BREAK
    await store.clear_status(ANNA)
    assert await store.status(ANNA) is None


async def test_people_rows_and_home_room(db: Database) -> None:
    store = WorkdayStore(db)
    await store.ensure_person(ANNA, NOW, ROOM)
    await store.ensure_person(ANNA, NOW + timedelta(minutes=1), None)  # a DM keeps the room
    person = await store.person(ANNA)
    assert person is not None
    assert person.home_room == ROOM
    assert person.last_active == NOW + timedelta(minutes=1)
    assert await store.known([ANNA, BEN]) == {ANNA}
    await store.touch(ANNA, NOW)  # older activity does not move it back
    assert (await store.person(ANNA)).last_active == NOW + timedelta(minutes=1)  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="user_id"):
        await store.set_person(ANNA, "user_id", "x")


async def test_new_leave_replaces_leave_it_overlaps(db: Database) -> None:
    store = WorkdayStore(db)
    await store.add_leave(ANNA, LeavePeriod(date(2024, 8, 12), date(2024, 8, 23)), NOW)
    await store.add_leave(ANNA, LeavePeriod(date(2024, 9, 2), date(2024, 9, 3)), NOW)
    await store.add_leave(ANNA, LeavePeriod(date(2024, 8, 19), date(2024, 8, 30), BEN), NOW)
    assert await store.leave(ANNA) == [
        LeavePeriod(date(2024, 8, 19), date(2024, 8, 30), BEN),
        LeavePeriod(date(2024, 9, 2), date(2024, 9, 3)),
    ]
    gone = await store.delete_leave_from(ANNA, date(2024, 9, 1))
    assert gone == [LeavePeriod(date(2024, 9, 2), date(2024, 9, 3))]


async def test_claims_happen_once(db: Database) -> None:
    store, inbox = WorkdayStore(db), InboxStore(db)
    assert await store.claim_reminder(ANNA, "2024-03-12", "break6", NOW)
    assert not await store.claim_reminder(ANNA, "2024-03-12", "break6", NOW)
    assert await store.claim_reminder(ANNA, "2024-03-13", "break6", NOW)
    assert await store.reminders_sent(ANNA, "2024-03-12") == {"break6"}
    assert await inbox.claim_off_note(BEN, ANNA, "back:2024-03-13T07:00Z", NOW)
    assert not await inbox.claim_off_note(BEN, ANNA, "back:2024-03-13T07:00Z", NOW)
    assert await inbox.claim_off_note(BEN, ANNA, "back:2024-03-14T07:00Z", NOW)


async def test_held_messages_of_an_earlier_version_are_taken_out_once_and_in_order(
    db: Database,
) -> None:
    inbox = InboxStore(db)  # they are handed over to the outbox at start
    morning = NOW + timedelta(hours=22)
    first = await inbox.hold(ANNA, None, "eins", NOW, morning)
    await inbox.hold(ANNA, ROOM, "zwei", NOW, morning)
    assert [h.markdown for h in await inbox.held(ANNA)] == ["eins", "zwei"]
    assert await inbox.release(first)
    assert not await inbox.release(first)


async def test_mentions_and_wrapup_are_handed_over_once(db: Database) -> None:
    inbox = InboxStore(db)
    await inbox.collect(ANNA, BEN, ROOM, EventID("$b"), "zweite", NOW + timedelta(minutes=5))
    await inbox.collect(ANNA, BEN, ROOM, EventID("$a"), "erste", NOW)
    await inbox.collect(ANNA, BEN, ROOM, EventID("$a"), "erste", NOW)  # the same event once
    mentions = await inbox.mentions(ANNA)
    assert [m.excerpt for m in mentions] == ["erste", "zweite"]
    assert await inbox.take_mentions(m.id for m in mentions) == 2
    assert await inbox.take_mentions(m.id for m in mentions) == 0

    assert await inbox.take_wrapup(ANNA) is None
    await inbox.ask_wrapup(ANNA, NOW)
    assert await inbox.take_wrapup(ANNA) is None  # asked, not answered
    await inbox.answer_wrapup(ANNA, "Bericht", NOW)
    await inbox.answer_wrapup(ANNA, "Mails", NOW)
    assert await inbox.take_wrapup(ANNA) == "Bericht\nMails"
    assert await inbox.wrapup_asked_at(ANNA) is None


async def _fill(db: Database, user: UserID, other: UserID) -> None:
    store, inbox = WorkdayStore(db), InboxStore(db)
    await store.ensure_person(user, NOW, ROOM)
    await store.set_status(take_break(user, NOW, NOW + timedelta(minutes=15)))
    await store.add_leave(user, LeavePeriod(date(2024, 8, 12), date(2024, 8, 23), other), NOW)
    await store.add_event(user, NOW, WorkEventKind.BREAK)
    await store.claim_reminder(user, "2024-03-12", "dayend", NOW)
    await inbox.hold(user, None, "held", NOW, None)
    await inbox.collect(user, other, ROOM, EventID(f"$to-{user}"), "hi", NOW)
    await inbox.claim_off_note(other, user, "back:x", NOW)
    await inbox.ask_wrapup(user, NOW)


async def test_export_and_deletion_touch_only_the_person(db: Database) -> None:
    await _fill(db, ANNA, BEN)
    await _fill(db, BEN, ANNA)
    privacy = PrivacyStore(db)

    export = await privacy.export(ANNA)
    assert export["status"][0]["user_id"] == ANNA
    assert [row["kind"] for row in export["work_events"]] == ["break"]
    assert export["named_as_stand_in"] == [
        {"user_id": ANNA, "first_day": "2024-08-12", "last_day": "2024-08-23"}
    ]
    for rows in export.values():
        assert all(row["user_id"] == ANNA for row in rows)

    assert await privacy.delete_person(ANNA) > 0
    assert all(rows == [] for rows in (await privacy.export(ANNA)).values())
    ben = await privacy.export(BEN)
    assert ben["leave"][0]["stand_in"] is None  # Anna's name is gone from Ben's leave
    assert len(ben["work_events"]) == 1
    assert ben["mentions_waiting_for_you"] == []  # written by Anna: deleted with her data


async def test_purge_deletes_what_is_older_than_the_cutoff(db: Database) -> None:
    store = WorkdayStore(db)
    await _fill(db, ANNA, BEN)
    await store.add_event(ANNA, NOW + timedelta(days=40), WorkEventKind.START)
    counts = await PrivacyStore(db).purge(NOW + timedelta(days=31))
    assert counts["work_events"] == 1
    assert counts["mentions"] == 1
    assert counts["held_messages"] == 1
    assert counts["status"] == 1
    assert counts["leave"] == 0  # ends 23.08., after the cut-off day
    left = await store.events(ANNA, NOW)
    assert [e.kind for e in left] == [WorkEventKind.START]
