"""A tandem across two federated homeservers (the job swap between a city and a state
IT association): three simulated days of a live briefing of two in an encrypted room,
handing on with "weiter", and at the end the period's summary of decisions and open
actions, mentioning both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_standup_support import BUILTINS, FAST, configure, wait_kickoff, wait_report

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer, UserFactory
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
async def two_homeservers(tmp_path: Path) -> AsyncIterator[tuple[SynapseServer, SynapseServer]]:
    city = SynapseServer(tmp_path / "city", federation=True)
    state = SynapseServer(tmp_path / "state", federation=True)
    await city.start_async()
    await state.start_async()
    yield city, state
    await state.stop_async()
    await city.stop_async()


async def _person(server: SynapseServer, name: str, display: str, tmp: Path) -> Person:
    mxid, password = UserFactory(server)(name, displayname=display)
    person = Person(server.url, mxid, password, tmp / name)
    await person.start()
    return person


async def _turn(person: Person, bot: App, kickoff: EventID, since: int) -> Message:
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.thread_root == kickoff
        and "du bist dran" in m.body,
        timeout=60, since=since,
    )  # fmt: skip


async def test_a_tandem_across_two_homeservers_ends_with_the_summary(
    two_homeservers: tuple[SynapseServer, SynapseServer], tmp_path: Path
) -> None:
    city, state = two_homeservers
    assert city.server_name != state.server_name
    clock = FixedClock(datetime.now(UTC))
    bot_id, bot_password = UserFactory(city)("bot", displayname="Homeoffice-Bot")
    settings = dev_bot_settings(city.url, bot_id, bot_password, tmp_path / "bot", plugins=FAST)
    bot = App(settings, builtins=BUILTINS, clock=clock)
    await bot.start()
    await bot.wait_synced()
    anna = await _person(city, "anna", "Anna", tmp_path)
    ben = await _person(state, "ben", "Ben", tmp_path)
    try:
        room: RoomID = await team_room(anna, bot, [ben], encrypted=True, name="Jobtausch")
        last_day = (clock.now().astimezone(BERLIN) + timedelta(days=2)).date()
        (setup,) = await configure(
            anna, room, bot, f"!standup tandem {ben.user_id} bis {last_day:%d.%m.%Y}"
        )
        assert "Tandem „tandem“ steht: Anna und Ben" in setup.body
        await configure(anna, room, bot, "!standup link https://meet.jit.si/jobtausch")

        notes = {
            0: [(anna, "Entscheidung: Wir tauschen die Postfächer"),
                (ben, f"Aufgabe: Zugang zum Fachverfahren beantragen {anna.user_id}")],
            1: [(ben, "Beschluss: Übergabe am Mittwoch um 14 Uhr")],
            2: [(anna, "Blocker: VPN des Landes fehlt noch")],
        }  # fmt: skip
        for day in range(3):
            mark = ben.mark()
            await anna.say(room, "!standup jetzt")
            kickoff = await wait_kickoff(ben, room, bot, mark)
            assert set(kickoff.mentions) == {anna.user_id, ben.user_id}
            if day > 0:
                assert "Offen von gestern" in kickoff.body
                assert "Zugang zum Fachverfahren beantragen" in kickoff.body
            first = await _turn(ben, bot, kickoff.event_id, mark)
            for person, text in notes[day]:
                await person.say(room, text, thread_root=kickoff.event_id)
            speaker = anna if first.mentions == (anna.user_id,) else ben
            await speaker.say(room, "weiter", thread_root=kickoff.event_id)
            second = await _turn(ben, bot, kickoff.event_id, ben.events.index(first) + 1)
            assert second.mentions != first.mentions
            other = ben if speaker is anna else anna
            await other.say(room, "weiter", thread_root=kickoff.event_id)
            await ben.wait_message(room, "Alle waren dran", sender=bot.matrix.user_id,
                                   since=mark, timeout=60)  # fmt: skip
            await anna.say(room, "!standup beenden")
            report = await wait_report(ben, room, bot, mark)
            assert (
                "Protokoll" in report.body
                or "Entscheidungen" in report.body
                or ("Blocker" in report.body)
            )
            if day < 2:
                clock.advance(timedelta(days=1))

        summary = await ben.wait_for(
            Message,
            lambda m: m.sender == bot.matrix.user_id and "die Zusammenfassung" in m.body,
            timeout=60,
        )
        assert set(summary.mentions) == {anna.user_id, ben.user_id}
        assert "3 Runden, 2 Entscheidungen, 1 offene Aufgabe, 0 erledigt." in summary.body
        assert "Wir tauschen die Postfächer" in summary.body
        assert "Übergabe am Mittwoch um 14 Uhr" in summary.body
        assert "Zugang zum Fachverfahren beantragen – Anna" in summary.body
        status = await anna.ask(room, "!standup status", bot.matrix.user_id)
        assert "Tandem: Anna und Ben" in status.body
    finally:
        await ben.stop()
        await anna.stop()
        await bot.stop()
