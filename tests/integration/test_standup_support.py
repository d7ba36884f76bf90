"""Shared steps of the stand-up integration tests (no tests in here)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID

BERLIN = ZoneInfo("Europe/Berlin")
FAST = {"standup": {"min_window_seconds": 5}}
BUILTINS = (
    "homeoffice_bot.kernel.core_plugin:CorePlugin",
    "homeoffice_bot.standup.plugin:StandupPlugin",
)
"""Only the kernel and stand-ups: without workday, everyone counts as available
(workday would leave people out on its own weekends and holidays)."""
"""Plugin settings that allow windows of a few seconds."""


def real_time_by_day(earliest: time = time(6), latest: time = time(21)) -> datetime:
    """Real time when it is between ``earliest`` and ``latest`` in Berlin, else 08:00 of
    the next morning there. For a test that starts the bot's clock on real time, sets a
    kickoff a minute or two ahead and expects people at work: at night a "Moin" still
    counts for the day before, and a kickoff after midnight finds them absent."""
    now = datetime.now(UTC)
    local = now.astimezone(BERLIN)
    if earliest <= local.time() < latest:
        return now
    day = local.date() + timedelta(days=1 if local.time() >= latest else 0)
    return datetime.combine(day, time(8), BERLIN).astimezone(UTC)


def in_seconds(seconds: int) -> str:
    """A local Berlin time of day a few seconds from now, as "HH:MM:SS"."""
    return (datetime.now(BERLIN) + timedelta(seconds=seconds)).strftime("%H:%M:%S")


async def kickoff_soon(lead: Person, room: RoomID, bot: App, clock: FixedClock) -> datetime:
    """For a bot on the test's clock: set the kickoff a minute ahead (after the command's
    server time, from which the schedule counts) and return it. The clock is caught up with
    real time first; the test then moves it to the kickoff instead of waiting."""
    clock.set(max(clock.now(), datetime.now(UTC)))
    at = (clock.now() + timedelta(minutes=1)).replace(microsecond=0)
    await configure(lead, room, bot, f"!standup zeit {at.astimezone(BERLIN):%H:%M:%S}")
    return at


async def ask(person: Person, room: RoomID, bot: App, text: str) -> Message:
    """Say something and wait for the bot's reply to exactly that message (another
    person's earlier answer may still be on its way to this client)."""
    mark = person.mark()
    event_id = await person.say(room, text)
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == event_id,
        timeout=20,
        since=mark,
    )


async def configure(person: Person, room: RoomID, bot: App, *commands: str) -> list[Message]:
    """Run commands one after the other; each must be answered without an error."""
    replies = []
    for command in commands:
        reply = await ask(person, room, bot, command)
        assert "Verwendung" not in reply.body, reply.body
        assert "nur die Moderation" not in reply.body, reply.body
        replies.append(reply)
    return replies


async def set_up_standup(
    lead: Person, room: RoomID, bot: App, window: str, *more: str
) -> list[Message]:
    """A daily stand-up without holidays, of ``window``, that asks everyone but the lead."""
    return await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich", "!standup region aus", f"!standup dauer {window}",
        f"!standup teilnehmer entfernen {lead.user_id}", *more,
    )  # fmt: skip


def is_kickoff(message: Message, bot: App) -> bool:
    return (
        message.sender == bot.matrix.user_id
        and message.thread_root is None
        and message.body.split("\n", 1)[0].endswith(("☀️", "🎥"))
    )


async def wait_kickoff(person: Person, room: RoomID, bot: App, since: int) -> Message:
    return await person.wait_for(
        Message, lambda m: m.room_id == room and is_kickoff(m, bot), timeout=30, since=since
    )


async def wait_report(person: Person, room: RoomID, bot: App, since: int) -> Message:
    # The report opens with its heading "Stand-up „name“ · date" (the kickoff ends its first
    # line with ☀️).
    return await person.wait_for(
        Message,
        lambda m: (
            m.room_id == room
            and m.sender == bot.matrix.user_id
            and m.body.startswith("Stand-up ")
            and " · " in m.body.split("\n", 1)[0]
        ),
        timeout=60,
        since=since,
    )


async def wait_ack(person: Person, event_id: EventID, bot: App, since: int) -> Reaction:
    return await person.wait_for(
        Reaction,
        lambda r: r.relates_to == event_id and r.sender == bot.matrix.user_id,
        timeout=20,
        since=since,
    )


async def direct_chat(person: Person, bot: App) -> RoomID:
    """A direct chat the person opens with the bot (the bot joins on invitation)."""
    room = await person.client.direct_room(bot.matrix.user_id)
    assert await person.wait_joined(room, bot.matrix.user_id, timeout=20)
    return room
