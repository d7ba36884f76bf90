from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from digitalnah.assistant import answer_assistant, start_assistant
from digitalnah.lifecycle import Action, transition
from digitalnah.model import DEFAULT_CATEGORIES, Offering, OfferingState
from digitalnah.schema import MIGRATIONS
from digitalnah.store import AssistantSession, EventRole, OfferingStore
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database

NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
ANNA = UserID("@anna:example.org")
LEAD = UserID("@lead:example.org")
ROOM = RoomID("!team:example.org")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[OfferingStore]:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("digitalnah", MIGRATIONS)
    yield OfferingStore(db)
    await db.close()


def full_offering() -> Offering:
    return Offering(
        submitter=ANNA,
        created_at=NOW,
        updated_at=NOW + timedelta(minutes=1),
        title="Parken per App",
        description="Zeile 1\nZeile 2",
        link="https://parken.example.org",
        category="Mobilität",
        provider="Ordnungsamt",
        target_group="Autofahrende",
        available_since=date(2024, 4, 1),
        contact="ordnungsamt@example.org",
        tags=("Parken", "App"),
        image_mxc="mxc://example.org/abc",
        source_room_id=ROOM,
        source_event_id=EventID("$tip"),
        state=OfferingState.PENDING,
    )


async def test_an_offering_round_trips_with_every_field(store: OfferingStore) -> None:
    saved = await store.commit(full_offering())
    assert saved.id == 1
    assert await store.get(1) == saved
    assert await store.get(2) is None


async def test_decisions_are_kept_in_order_with_who_and_when(store: OfferingStore) -> None:
    saved = await store.commit(full_offering())
    approved, entry = transition(saved, Action.APPROVE, actor=LEAD, now=NOW + timedelta(hours=1))
    await store.commit(approved, entry)
    ended, end = transition(approved, Action.END, actor=LEAD, now=NOW + timedelta(days=3))
    await store.commit(ended, end)
    trail = await store.audit(1)
    assert [(e.action, e.actor, e.at) for e in trail] == [
        ("approve", LEAD, NOW + timedelta(hours=1)),
        ("end", LEAD, NOW + timedelta(days=3)),
    ]
    assert trail[0].from_state is OfferingState.PENDING
    assert trail[1].to_state is OfferingState.ENDED
    assert (await store.get(1)) == ended
    assert [o.id for o in await store.in_states([OfferingState.ENDED])] == [1]
    assert await store.in_states([OfferingState.APPROVED]) == []


async def test_events_find_their_offering(store: OfferingStore) -> None:
    first = await store.commit(
        full_offering(),
        None,
        [(EventID("$tip"), ROOM, EventRole.SOURCE), (EventID("$thread"), ROOM, EventRole.THREAD)],
    )
    second = await store.commit(
        dataclasses.replace(full_offering(), submitter=LEAD),
        None,
        [(EventID("$thread"), ROOM, EventRole.THREAD)],
    )
    assert first.id is not None
    assert second.id is not None
    await store.link(first.id, EventID("$reply"), ROOM, EventRole.REPLY)
    assert (await store.by_event(EventID("$tip"))) == first
    assert (await store.by_event(EventID("$reply"))) == first
    assert await store.by_event(EventID("$reply"), [EventRole.SOURCE]) is None
    assert await store.by_event(EventID("$thread")) is None  # threads only when asked
    newest = await store.by_event(EventID("$thread"), [EventRole.THREAD])
    assert newest == second
    mine = await store.by_event(EventID("$thread"), [EventRole.THREAD], submitter=ANNA)
    assert mine == first
    assert await store.thread_of(first.id) == (ROOM, EventID("$thread"))
    assert await store.thread_of(99) is None


async def test_assistant_sessions(store: OfferingStore) -> None:
    turn = answer_assistant(
        start_assistant().state, "Parken per App", categories=DEFAULT_CATEGORIES
    )
    session = AssistantSession(ANNA, RoomID("!dm:example.org"), ROOM, turn.state, NOW)
    await store.save_session(session)
    assert await store.session(ANNA) == session
    moved = dataclasses.replace(session, origin_room_id=None, updated_at=NOW + timedelta(1))
    await store.save_session(moved)
    assert await store.session(ANNA) == moved
    await store.end_session(ANNA)
    assert await store.session(ANNA) is None


async def test_publish_state(store: OfferingStore) -> None:
    assert (await store.publish_state()).published_at is None
    await store.mark_published(NOW)
    await store.mark_webhook(delivered_hash=None, at=NOW, error="HTTP 500")
    state = await store.publish_state()
    assert (state.published_at, state.webhook_hash, state.webhook_error) == (
        NOW,
        None,
        "HTTP 500",
    )
    await store.mark_webhook(delivered_hash="abc", at=NOW + timedelta(seconds=5), error=None)
    state = await store.publish_state()
    assert (state.webhook_hash, state.webhook_error) == ("abc", None)
    assert state.webhook_delivered_at == NOW + timedelta(seconds=5)
    assert state.published_at == NOW
