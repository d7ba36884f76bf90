"""No full scans on hot paths: every statement the workday, stand-up and #DigitalNah stores
run for a command or a firing is looked up through an index.

The stores are driven against a filled database while SQLite traces what they execute;
each traced statement then goes through ``EXPLAIN QUERY PLAN``, and a ``SCAN`` of a
table that grows with people or rooms fails the test — unless the statement is listed
in ``NOT_HOT`` with the reason it may read everything. Every public method of the
stores must be driven, so a new one cannot slip past.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from digitalnah.assistant import start_assistant
from digitalnah.lifecycle import Action, transition
from digitalnah.model import Offering, OfferingState
from digitalnah.schema import MIGRATIONS as DIGITALNAH_MIGRATIONS
from digitalnah.store import AssistantSession, EventRole, OfferingStore
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS as KERNEL_MIGRATIONS
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.storage.sqlite import SqliteBackend
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.minutes import Item, Kind
from homeoffice_bot.standup.rotation import Seat
from homeoffice_bot.standup.schema import MIGRATIONS as STANDUP_MIGRATIONS
from homeoffice_bot.standup.store import AnswerRecord, NewOccurrence, NoteRecord, StandupStore
from homeoffice_bot.standup.store_live import LiveStore
from homeoffice_bot.standup.store_taps import TapAnswers
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.hours import LeavePeriod
from homeoffice_bot.workday.schema import MIGRATIONS as WORKDAY_MIGRATIONS
from homeoffice_bot.workday.states import PresenceState, start_work, take_break
from homeoffice_bot.workday.store import WorkdayStore
from homeoffice_bot.workday.store_board import _COLUMNS as BOARD_COLUMNS
from homeoffice_bot.workday.store_board import BoardStore
from homeoffice_bot.workday.store_inbox import InboxStore
from homeoffice_bot.workday.store_privacy import PrivacyStore
from homeoffice_bot.workday.store_taps import Tap, TapStore, UntilQuestion

NOW = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)
PEOPLE = 300
ROOMS = 30

GROWING = frozenset(
    {
        "workday_people", "workday_status", "workday_leave", "workday_rooms",
        "workday_events", "workday_reminders_sent", "workday_held", "workday_off_notes",
        "workday_mentions", "workday_wrapups",
        "standups", "standup_occurrences", "standup_answers", "standup_notes",
        "standup_dm_prompts", "standup_absences", "standup_rotation", "standup_turns",
        "standup_actions", "standup_action_posts", "workday_taps", "workday_until_questions",
        "digitalnah_offerings", "digitalnah_audit", "digitalnah_events", "digitalnah_assistant",
    }
)  # fmt: skip
"""Tables that grow with people or rooms (``digitalnah_publish`` has one row)."""

NOT_HOT: dict[str, str] = {
    "SELECT * FROM workday_people ORDER BY user_id": "WorkdayStore.people: tests and tools",
    "SELECT * FROM workday_status": "WorkdayStore.statuses: tests and tools",
    f"SELECT {BOARD_COLUMNS} FROM workday_rooms WHERE board_event_id IS NOT NULL": (
        "BoardStore.boards: every board, on purpose (refreshing all boards at once)"
    ),
    "SELECT * FROM workday_mentions ORDER BY at, id": "InboxStore.mentions(): tests and tools",
    "SELECT * FROM workday_held": "InboxStore.held: once at start, hands the old table over",
    "DELETE FROM workday_status WHERE COALESCE(until, since) <": (
        "the daily purge: at most one row per person"
    ),
    "SELECT * FROM standups": "StandupStore.all_standups: tests and tools",
    "SELECT id, kickoff_time, kickoff_weekdays, kickoff_tz, kickoff_paused FROM standups": (
        "StandupStore.kickoff_rules: once at start, to schedule"
    ),
    "SELECT * FROM digitalnah_offerings ORDER BY id": "OfferingStore.all: tests and tools",
    "SELECT * FROM digitalnah_offerings WHERE state IN": (
        "OfferingStore.in_states: publishing writes every published offering"
    ),
    "SELECT state, COUNT(*) AS n FROM digitalnah_offerings GROUP BY state": (
        "OfferingStore.count_by_state: the admin report"
    ),
}
"""Statements (by their start) that may read a whole table, and why."""


def person(n: int) -> UserID:
    return UserID(f"@p{n:05d}:example.org")


def room(n: int) -> RoomID:
    return RoomID(f"!r{n:04d}:example.org")


class Trace:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.on = False

    def __call__(self, sql: str) -> None:
        if self.on:
            self.statements.append(sql)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database.sqlite_file(tmp_path / "bot.sqlite3")  # query plans are SQLite's
    await database.open()
    await database.migrate("kernel", KERNEL_MIGRATIONS)
    await database.migrate("workday", WORKDAY_MIGRATIONS)
    await database.migrate("standup", STANDUP_MIGRATIONS)
    await database.migrate("digitalnah", DIGITALNAH_MIGRATIONS)
    yield database
    await database.close()


def offering(n: int) -> Offering:
    return Offering(
        submitter=person(n),
        created_at=NOW,
        updated_at=NOW,
        title=f"Angebot {n}",
        description="Beschreibung",
        link=f"https://example.org/{n}",
        category="Mobilität",
        source_room_id=room(n % ROOMS),
        source_event_id=EventID(f"$tip{n}"),
        state=OfferingState.PENDING,
    )


def occurrence(standup_id: int, day: date, config: StandupConfig) -> NewOccurrence:
    kickoff = datetime.combine(day, time(9), UTC)
    return NewOccurrence(
        standup_id=standup_id, day=day, kickoff_at=kickoff, opened_at=kickoff,
        closes_at=kickoff + timedelta(minutes=10), adhoc=False, late_start=False,
        config=config, questions=["Erledigt?"], participants=[person(1), person(2)],
        absent=[],
    )  # fmt: skip


async def fill(db: Database) -> None:
    """People with a profile, a status, work events, leave and reminders; rooms with
    boards; stand-ups with occurrences and answers; offerings with their events."""
    workday, inbox = WorkdayStore(db), InboxStore(db)
    for n in range(PEOPLE):
        user = person(n)
        await workday.ensure_person(user, NOW, room(n % ROOMS))
        await workday.set_status(start_work(user, NOW))
        await workday.add_event(user, NOW, WorkEventKind.START)
        await workday.claim_reminder(user, "2024-03-12", "dayend", NOW)
        await workday.set_due(user, NOW + timedelta(minutes=n))
        if n % 10 == 0:
            await workday.add_leave(user, LeavePeriod(date(2024, 4, 1), date(2024, 4, 5)), NOW)
            await inbox.collect(user, person(n + 1), room(0), EventID(f"$m{n}"), "Frage", NOW)
    for n in range(ROOMS):
        await BoardStore(db).set_board(
            room(n), EventID(f"$board{n}"), "Übersicht", True, date(2024, 3, 12)
        )
    standups = StandupStore(db)
    for n in range(ROOMS):
        config = StandupConfig("team", room(n), time(9))
        record = await standups.create_standup(config, person(n), NOW)
        assert record is not None
        for day in range(5):
            new = occurrence(record.id, date(2024, 3, 4 + day), config)
            occ = await standups.create_occurrence(new)
            assert occ is not None
            at = new.kickoff_at + timedelta(minutes=1)
            answer = AnswerRecord(f"$a{n}-{day}", occ.id, person(1), room(n), "Gut", 0, at, False)
            await standups.add_answer(answer)
    offerings = OfferingStore(db)
    for n in range(60):
        await offerings.commit(
            offering(n), None, [(EventID(f"$tip{n}"), room(0), EventRole.SOURCE)]
        )


async def drive_workday(db: Database) -> set[str]:
    """What commands and firings of the workday do: one call per store method."""
    store, inbox, privacy = WorkdayStore(db), InboxStore(db), PrivacyStore(db)
    anna, ben, team = person(7), person(8), room(7)
    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("person", lambda: store.person(anna)),
        ("people", lambda: store.people()),
        ("known", lambda: store.known([anna, ben])),
        ("ensure_person", lambda: store.ensure_person(anna, NOW, team)),
        ("set_person", lambda: store.set_person(anna, "tz", "Europe/Berlin")),
        ("touch", lambda: store.touch(anna, NOW)),
        ("due", lambda: store.due(NOW, 200)),
        ("earliest_due", lambda: store.earliest_due()),
        ("due_at", lambda: store.due_at(anna)),
        ("set_due", lambda: store.set_due(anna, NOW)),
        ("mark_room_due", lambda: store.mark_room_due(team, NOW)),
        ("status", lambda: store.status(anna)),
        ("statuses", lambda: store.statuses()),
        ("set_status", lambda: store.set_status(take_break(anna, NOW, NOW + timedelta(hours=1)))),
        ("clear_status", lambda: store.clear_status(ben)),
        ("leave", lambda: store.leave(anna)),
        (
            "add_leave",
            lambda: store.add_leave(
                anna, LeavePeriod(date(2024, 5, 1), date(2024, 5, 2), ben), NOW
            ),
        ),
        ("delete_leave_from", lambda: store.delete_leave_from(anna, date(2024, 5, 2))),
        ("room", lambda: store.room(team)),
        ("set_room", lambda: store.set_room(team, "team_hours", "Mo–Fr 08:00–16:00")),
        ("add_event", lambda: store.add_event(anna, NOW, WorkEventKind.BREAK)),
        ("events", lambda: store.events(anna, NOW - timedelta(hours=40))),
        ("last_event", lambda: store.last_event(anna)),
        ("reminders_sent", lambda: store.reminders_sent(anna, "2024-03-12")),
        ("claim_reminder", lambda: store.claim_reminder(anna, "2024-03-12", "break6", NOW)),
    ]
    calls += [
        (f"inbox.{name}", call)
        for name, call in [
            ("hold", lambda: inbox.hold(anna, None, "Rückruf", NOW, None)),
            ("held", lambda: inbox.held()),
            ("claim_off_note", lambda: inbox.claim_off_note(ben, anna, "back:x", NOW)),
            ("collect", lambda: inbox.collect(anna, ben, team, EventID("$x"), "Hallo", NOW)),
            ("mentions", lambda: inbox.mentions(anna)),
            ("has_mentions", lambda: inbox.has_mentions(anna)),
            ("take_mentions", lambda: inbox.take_mentions([1, 2])),
            ("ask_wrapup", lambda: inbox.ask_wrapup(anna, NOW)),
            ("wrapup_asked_at", lambda: inbox.wrapup_asked_at(anna)),
            ("answer_wrapup", lambda: inbox.answer_wrapup(anna, "Bericht", NOW)),
            ("take_wrapup", lambda: inbox.take_wrapup(anna)),
            ("release", lambda: inbox.release(1)),
        ]
    ]
    calls += [
        ("privacy.export", lambda: privacy.export(anna)),
        ("privacy.purge", lambda: privacy.purge(NOW - timedelta(days=30))),
        ("privacy.delete_person", lambda: privacy.delete_person(ben)),
    ]
    for _, call in calls:
        await call()
    return {name for name, _ in calls}


async def drive_standup(db: Database) -> set[str]:
    store = StandupStore(db)
    config = StandupConfig("früh", room(3), time(8))
    record = await store.create_standup(config, person(3), NOW)
    assert record is not None
    day = date(2024, 3, 12)
    occ = await store.create_occurrence(occurrence(record.id, day, config))
    assert occ is not None
    at = NOW + timedelta(minutes=1)
    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("standups_in_room", lambda: store.standups_in_room(room(3))),
        ("all_standups", lambda: store.all_standups()),
        ("kickoff_rules", lambda: store.kickoff_rules()),
        ("standup", lambda: store.standup(record.id)),
        ("save_config", lambda: store.save_config(record.id, config, NOW)),
        ("occurrence", lambda: store.occurrence(occ.id)),
        ("occurrence_by_kickoff", lambda: store.occurrence_by_kickoff("$kick")),
        ("open_occurrences", lambda: store.open_occurrences()),
        ("open_occurrence_of", lambda: store.open_occurrence_of(record.id)),
        ("has_occurrence_on", lambda: store.has_occurrence_on(record.id, day)),
        ("latest_occurrence", lambda: store.latest_occurrence(record.id)),
        ("latest_occurrence(day)", lambda: store.latest_occurrence(record.id, day)),
        ("occurrences_between", lambda: store.occurrences_between(record.id, day, day)),
        ("set_kickoff_event", lambda: store.set_kickoff_event(occ.id, "$kick")),
        ("claim_reminder", lambda: store.claim_reminder(occ.id)),
        (
            "add_answer",
            lambda: store.add_answer(
                AnswerRecord("$ans", occ.id, person(1), room(3), "Gut", 0, at, False)
            ),
        ),
        ("answers", lambda: store.answers(occ.id)),
        ("answers_of", lambda: store.answers_of(occ.id, person(1))),
        ("add_note", lambda: store.add_note(NoteRecord("$note", occ.id, person(1), "Notiz", at))),
        ("notes", lambda: store.notes(occ.id)),
        ("edit_message", lambda: store.edit_message("$note", person(1), "Neu")),
        ("remove_message", lambda: store.remove_message("$note")),
        ("add_dm_prompt", lambda: store.add_dm_prompt(occ.id, person(1), "*")),
        ("dm_prompted_occurrence", lambda: store.dm_prompted_occurrence("!dm:x", person(1))),
        ("dm_prompts", lambda: store.dm_prompts(occ.id)),
        ("add_absence", lambda: store.add_absence(room(3), person(2), day, day, person(3))),
        ("absent_on", lambda: store.absent_on(room(3), day)),
        ("absences_from", lambda: store.absences_from(room(3), day)),
        ("remove_absences", lambda: store.remove_absences(room(3), person(2), day, day)),
        ("mark_closed", lambda: store.mark_closed(occ.id, room(3), "$rep", at, at)),
        ("delete_standup", lambda: store.delete_standup(record.id)),
        ("create_standup", lambda: store.create_standup(config, person(3), NOW)),
        ("create_occurrence", lambda: store.create_occurrence(occurrence(record.id, day, config))),
    ]
    for _, call in calls:
        await call()
    return {name.split("(")[0] for name, _ in calls}


async def drive_boards(db: Database) -> set[str]:
    boards, team = BoardStore(db), room(7)
    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("board", lambda: boards.board(team)),
        ("boards", lambda: boards.boards()),
        ("set_board", lambda: boards.set_board(team, EventID("$b"), "Übersicht", True, None)),
        ("clear_board", lambda: boards.clear_board(team)),
        ("set_workday", lambda: boards.set_workday(team, True)),
        ("set_buttons", lambda: boards.set_buttons(team, EventID("$b"))),
    ]
    for _, call in calls:
        await call()
    return {name for name, _ in calls}


async def drive_taps(db: Database) -> set[str]:
    """Taps on the board and on a kickoff."""
    taps, answers, user = TapStore(db), TapAnswers(db), person(6)
    tap = Tap(EventID("$tap"), user, room(6), EventID("$board"), "☕", NOW,
              PresenceState.BREAK, start_work(user, NOW), "break")  # fmt: skip
    question = UntilQuestion(user, room(99), EventID("$q"), room(6), PresenceState.BREAK,
                             NOW, NOW)  # fmt: skip
    config = StandupConfig("taps", room(6), time(9))
    record = await StandupStore(db).create_standup(config, person(6), NOW)
    assert record is not None
    occ = await StandupStore(db).create_occurrence(occurrence(record.id, date(2024, 3, 14), config))
    assert occ is not None
    answer = AnswerRecord("$thumb", occ.id, user, room(6), "Nichts Neues", None, NOW, False)
    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("add_tap", lambda: taps.add_tap(tap)),
        ("take_tap", lambda: taps.take_tap(EventID("$tap"))),
        ("take_work_event", lambda: taps.take_work_event(user, NOW, "break")),
        ("ask", lambda: taps.ask(question)),
        ("question", lambda: taps.question(user)),
        ("question_by_event", lambda: taps.question_by_event(EventID("$q"))),
        ("close_question", lambda: taps.close_question(user, EventID("$q"))),
        ("add", lambda: answers.add(answer)),
        ("drop", lambda: answers.drop(occ.id, user)),
    ]
    for _, call in calls:
        await call()
    return {name for name, _ in calls}


async def drive_live(db: Database) -> set[str]:
    """The live round: rotation, turns and actions (one stand-up among many)."""
    standups, live = StandupStore(db), LiveStore(db)
    config = StandupConfig("live", room(4), time(9))
    record = await standups.create_standup(config, person(4), NOW)
    assert record is not None
    day = date(2024, 3, 13)
    occ = await standups.create_occurrence(occurrence(record.id, day, config))
    assert occ is not None
    at = NOW + timedelta(minutes=2)
    item = Item(Kind.ACTION, "Antrag prüfen", person(4), "$live-note", 0, at, owner=person(5))
    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("add_seats", lambda: live.add_seats(record.id, [Seat(person(4), 0), Seat(person(5), 1)])),
        ("seats", lambda: live.seats(record.id)),
        ("record_round", lambda: live.record_round(record.id, person(4), person(5), at)),
        ("mark_ended_early", lambda: live.mark_ended_early(occ.id)),
        ("add_turns", lambda: live.add_turns(occ.id, [person(4), person(5)])),
        ("turns", lambda: live.turns(occ.id)),
        ("claim_start", lambda: live.claim_start(occ.id, 0, at, at + timedelta(minutes=2))),
        ("claim_end", lambda: live.claim_end(occ.id, 0, at)),
        ("set_prompt", lambda: live.set_prompt(occ.id, 0, "$prompt")),
        ("turn_by_prompt", lambda: live.turn_by_prompt("$prompt")),
        ("add_actions", lambda: live.add_actions(record.id, occ.id, [item])),
        ("open_actions", lambda: live.open_actions(record.id, occ.id + 1)),
        ("actions_between", lambda: live.actions_between(record.id, day, day)),
        ("add_action_post", lambda: live.add_action_post("$post", 1)),
        ("tick_action", lambda: live.tick_action("$post", person(5), at)),
        ("forget_turns", lambda: live.forget_turns(occ.id)),
    ]
    for _, call in calls:
        await call()
    return {name for name, _ in calls}


async def drive_digitalnah(db: Database) -> set[str]:
    store = OfferingStore(db)
    saved = await store.commit(offering(999))
    assert saved.id is not None
    approved, entry = transition(saved, Action.APPROVE, actor=person(1), now=NOW)
    anna = person(5)
    session = AssistantSession(anna, RoomID("!dm:x"), room(5), start_assistant().state, NOW)
    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        (
            "commit",
            lambda: store.commit(approved, entry, [(EventID("$t"), room(5), EventRole.THREAD)]),
        ),
        ("get", lambda: store.get(saved.id or 0)),
        ("all", lambda: store.all()),
        ("rows_after", lambda: store.rows_after(0, 50)),
        ("in_batches", lambda: store.in_batches(OfferingState.APPROVED, 50)),
        ("in_states", lambda: store.in_states([OfferingState.APPROVED])),
        ("count_by_state", lambda: store.count_by_state()),
        ("audit", lambda: store.audit(saved.id or 0)),
        ("link", lambda: store.link(saved.id or 0, EventID("$r"), room(5), EventRole.REPLY)),
        ("by_event", lambda: store.by_event(EventID("$tip3"))),
        ("by_event(submitter)", lambda: store.by_event(EventID("$tip3"), submitter=anna)),
        ("thread_of", lambda: store.thread_of(saved.id or 0)),
        ("session", lambda: store.session(anna)),
        ("save_session", lambda: store.save_session(session)),
        ("end_session", lambda: store.end_session(anna)),
        ("publish_state", lambda: store.publish_state()),
        ("mark_published", lambda: store.mark_published(NOW)),
        ("mark_webhook", lambda: store.mark_webhook(delivered_hash="h", at=NOW, error=None)),
        ("mark_webhook(error)", lambda: store.mark_webhook(delivered_hash=None, at=NOW, error="x")),
    ]
    for _, call in calls:
        await call()
    return {name.split("(")[0] for name, _ in calls}


def public_methods(cls: type) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(cls, inspect.iscoroutinefunction)
        if not name.startswith("_")
    }


def full_scans(plan: list[tuple[Any, ...]]) -> list[str]:
    """The growing tables a plan reads whole (``SCAN t``, also by an index's order)."""
    scans = []
    for row in plan:
        found = re.match(r"SCAN (\w+)", row[3])
        if found and found.group(1) in GROWING:
            scans.append(row[3])
    return scans


def is_statement(sql: str) -> bool:
    return re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", sql, re.IGNORECASE) is not None


async def test_no_statement_of_a_command_or_firing_scans_a_growing_table(db: Database) -> None:
    await fill(db)
    trace = Trace()
    backend = db.backend
    assert isinstance(backend, SqliteBackend)
    await backend.conn.set_trace_callback(trace)
    trace.on = True
    driven = {
        WorkdayStore: await drive_workday(db),
        StandupStore: await drive_standup(db),
        BoardStore: await drive_boards(db),
        LiveStore: await drive_live(db),
        TapStore: (tapped := await drive_taps(db)),
        TapAnswers: tapped,
        OfferingStore: await drive_digitalnah(db),
    }
    trace.on = False
    await backend.conn.set_trace_callback(None)

    inbox_driven = {n.removeprefix("inbox.") for n in driven[WorkdayStore] if "." in n}
    assert public_methods(InboxStore) <= inbox_driven
    assert public_methods(PrivacyStore) <= {
        n.removeprefix("privacy.") for n in driven[WorkdayStore]
    }
    for cls, names in driven.items():
        assert public_methods(cls) <= names, f"{cls.__name__}: drive the new methods"

    statements = sorted({sql for sql in trace.statements if is_statement(sql)})
    assert len(statements) > 60
    offenders: dict[str, list[str]] = {}
    for sql in statements:
        plan = await db.fetchall(f"EXPLAIN QUERY PLAN {sql}")
        scans = full_scans([tuple(row) for row in plan])
        if scans and not any(" ".join(sql.split()).startswith(ok) for ok in NOT_HOT):
            offenders[sql] = scans
    assert offenders == {}, "\n".join(f"{sql}: {scans}" for sql, scans in offenders.items())
