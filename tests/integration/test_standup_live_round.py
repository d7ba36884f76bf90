"""The ten-minute live briefing against a real Synapse, in an encrypted room, with the
clock moved by the test: a round of five with one absent gives four equal turns in an
order that opens with someone else than yesterday, each turn prompt mentions (alerts)
only its speaker, the minutes have decisions, actions and blockers as sections, and an
open action comes back at the next kickoff until it is ticked off."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from test_standup_support import BUILTINS, FAST, configure, wait_kickoff, wait_report

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.standup.plugin import StandupPlugin

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]
TURN = re.compile(r"du bist dran: (.+), bis (\d\d:\d\d) Uhr")


def _plugin(bot: App) -> StandupPlugin:
    plugin = bot.plugins["standup"]
    assert isinstance(plugin, StandupPlugin)
    return plugin


async def _prompt(person: Person, bot: App, kickoff: EventID, since: int) -> Message:
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.thread_root == kickoff
        and "du bist dran" in m.body,
        timeout=30, since=since,
    )  # fmt: skip


async def _occurrence_id(plugin: StandupPlugin, kickoff: Message) -> int:
    """The round the kickoff opened (stored a moment after the homeserver has it)."""
    for _ in range(100):
        occurrence = await plugin.store.occurrence_by_kickoff(kickoff.event_id)
        if occurrence is not None:
            return occurrence.id
        await asyncio.sleep(0.1)
    raise AssertionError("the kickoff was never stored")


async def _open_round(lead: Person, room: RoomID, bot: App, watcher: Person) -> Message:
    mark = watcher.mark()
    await lead.say(room, "!standup jetzt")
    return await wait_kickoff(watcher, room, bot, mark)


async def test_a_live_round_runs_itself_with_fair_order_alerts_and_minutes(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    plugin = _plugin(bot)
    lead = await people("lead", "Petra")
    team = [await people(n) for n in ("anna", "ben", "clara", "dora", "emil")]
    anna, ben, clara, dora, _emil = team
    by_id = {p.user_id: p for p in team}
    names = dict(zip(by_id, ("Anna", "Ben", "Clara", "Dora", "Emil"), strict=True))
    room = await team_room(lead, bot, team, encrypted=True)
    await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich", "!standup region aus", "!standup modus live",
        "!standup link https://meet.jit.si/team-digital", "!standup dauer 10m",
        f"!standup teilnehmer entfernen {lead.user_id}",
    )  # fmt: skip

    # Yesterday: everyone there; an action for Ben, then the lead ends the round early
    mark = anna.mark()
    first = await _open_round(lead, room, bot, anna)
    yesterday_opener = first.mentions[0]
    assert set(first.mentions) == set(by_id)
    await _prompt(anna, bot, first.event_id, mark)  # the round is stored and running
    mark = anna.mark()
    await anna.say(room, f"Aufgabe: Angebot prüfen {ben.user_id} bis morgen",
                   thread_root=first.event_id)  # fmt: skip
    await lead.say(room, "!standup beenden")
    closing = await anna.wait_message(room, "früher beendet", sender=bot.matrix.user_id,
                                      since=mark)  # fmt: skip
    assert "Petra hat das Stand-up früher beendet" in closing.body
    report = await wait_report(anna, room, bot, mark)
    assert "Aufgaben" in report.body
    assert "Angebot prüfen – Ben, bis" in report.body

    # Today: Dora is absent; four turns of equal length, another opener than yesterday
    clock.advance(timedelta(days=1))
    (record,) = await plugin.store.standups_in_room(room)
    today = clock.now().astimezone(ZoneInfo(record.config.tz)).date()
    await configure(lead, room, bot,
                    f"!standup abwesend {dora.user_id} {today:%d.%m.%Y}")  # fmt: skip
    watch = anna.mark()
    kickoff = await _open_round(lead, room, bot, anna)
    assert kickoff.msgtype == "m.text"
    assert "Offen von gestern" in kickoff.body
    assert "Angebot prüfen – Ben" in kickoff.body
    assert "Abwesend heute: Dora" in kickoff.body
    assert dora.user_id not in kickoff.mentions
    assert len(kickoff.mentions) == 4
    assert kickoff.mentions[0] != yesterday_opener
    order = list(kickoff.mentions)
    occurrence_id = await _occurrence_id(plugin, kickoff)

    prompts: list[Message] = []
    for position, speaker in enumerate(order):
        prompt = await _prompt(anna, bot, kickoff.event_id, watch)
        watch = anna.events.index(prompt) + 1
        assert prompt.mentions == (speaker,), prompt.body
        assert prompt.msgtype == "m.text"
        if position + 1 < len(order):
            assert f"Danach: {names[order[position + 1]]}." in prompt.body
        prompts.append(prompt)
        if position == 0:  # minutes while the first person speaks
            await anna.say(room, "Entscheidung: Release am Freitag", thread_root=kickoff.event_id)
            await ben.say(room, "Blocker: VPN fällt ständig aus", thread_root=kickoff.event_id)
            await clara.say(room, f"ToDo: Doku schreiben {anna.user_id}",
                            thread_root=kickoff.event_id)  # fmt: skip
        assert TURN.search(prompt.body) is not None, prompt.body
        clock.advance(timedelta(seconds=135))
        await plugin.runner.show.due(occurrence_id)
    lengths = {match.group(1) for p in prompts if (match := TURN.search(p.body))}
    assert lengths == {"2 Minuten 15 Sekunden"}
    await anna.wait_message(room, "Alle waren dran", sender=bot.matrix.user_id, since=watch)

    # Ben ticks yesterday's action off under its post in today's thread
    post = await anna.wait_for(
        Message, lambda m: m.thread_root == kickoff.event_id and m.body.startswith("Offen:"),
        since=0,
    )  # fmt: skip
    await ben.client.react(room, post.event_id, "✅")
    standup_id = record.id
    for _ in range(100):
        if not await plugin.runner.live.open_actions(standup_id, 0):
            break
        await asyncio.sleep(0.1)

    mark = anna.mark()
    clock.advance(timedelta(seconds=30))
    await plugin.runner.close(occurrence_id)
    report = await wait_report(anna, room, bot, mark)
    body = report.body
    assert "Die Zeit ist um" in (await anna.wait_message(room, "Die Zeit ist um", since=mark)).body
    for section in ("Entscheidungen", "Aufgaben", "Blocker"):
        assert section in body, body
    assert "Release am Freitag (Anna)" in body
    assert "Blocker: VPN fällt ständig aus (Ben)" in body
    assert "Doku schreiben – Anna (Clara)" in body
    assert "1 Blocker" in body
    assert "3 Notizen von 3 Personen" in body

    # Tomorrow: the ticked action is gone, the new one is open
    clock.advance(timedelta(days=1))
    third = await _open_round(lead, room, bot, anna)
    assert "Doku schreiben – Anna" in third.body
    assert "Angebot prüfen" not in third.body
    seats = await plugin.runner.live.seats(standup_id)
    assert sum(seat.opened for seat in seats) == 2


async def _highlights(person: Person, room: RoomID) -> int:
    """The highlight count the homeserver keeps for ``person`` in ``room``, once settled."""
    last = None
    while True:
        now = (await person.client.notification_counts()).get(room, (0, 0))[1]
        if now == last:
            return now
        last = now
        await asyncio.sleep(0.5)


async def test_each_turn_prompt_raises_the_highlight_count_of_its_speaker_only(
    start_bot: StartBot, people: People
) -> None:
    """Read through receipts and the homeserver's own push rules (a room without
    encryption: in an encrypted one the client evaluates the mentions, see above). Someone
    who joins during the round is called on at the end."""
    clock = FixedClock(datetime.now(UTC))
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock, encryption=False)
    plugin = _plugin(bot)
    lead = await people("lead", "Petra")
    team = [await people(n) for n in ("anna", "ben", "clara")]
    room = await team_room(lead, bot, team, encrypted=False)
    await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich", "!standup region aus", "!standup modus live",
        "!standup link https://meet.jit.si/team", "!standup dauer 6m",
        f"!standup teilnehmer entfernen {lead.user_id}",
    )  # fmt: skip
    history = await lead.client.history(room)
    for person in (lead, *team):
        await person.client.mark_read(room, history[-1]["event_id"])
    watcher = team[0]
    mark = watcher.mark()
    kickoff = await _open_round(lead, room, bot, watcher)
    occurrence_id = await _occurrence_id(plugin, kickoff)
    called: dict[str, int] = {p.user_id: 0 for p in team}
    late = await people("dora", "Dora")  # joins the room while the round runs
    await lead.client.invite(room, late.user_id)
    assert await lead.wait_joined(room, late.user_id, timeout=20)
    for _ in team:
        prompt = await _prompt(watcher, bot, kickoff.event_id, mark)
        mark = watcher.events.index(prompt) + 1
        (speaker,) = prompt.mentions
        called[speaker] += 1
        for person in team:  # the kickoff once, and each of their own turns
            assert await _highlights(person, room) == 1 + called[person.user_id], person.user_id
        assert await _highlights(lead, room) == 0
        clock.advance(timedelta(minutes=2))
        await plugin.runner.show.due(occurrence_id)
    assert set(called.values()) == {1}
    last = await _prompt(watcher, bot, kickoff.event_id, mark)  # the latecomer speaks last
    assert last.mentions == (late.user_id,)
    assert await _highlights(late, room) == 1
