"""Admin commands against a real Synapse: status, rooms, leaving, backups, and who may."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from homeoffice_bot import __version__
from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Membership, Message
from homeoffice_bot.kernel.ids import RoomID

pytestmark = pytest.mark.integration


async def answer(person: Person, room: RoomID, text: str, bot: App) -> Message:
    """Say ``text`` and wait for the bot's reply to exactly that message."""
    mark = person.mark()
    event_id = await person.say(room, text)
    return await person.wait_for(
        Message,
        lambda m: m.room_id == room and m.sender == bot.matrix.user_id and m.reply_to == event_id,
        since=mark,
    )


async def test_status_for_a_bot_admin_and_refused_for_a_member(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    lead = await people("lead")
    ben = await people("ben")
    bot = await start_bot(bot={"admins": [lead.user_id]})
    room = await team_room(lead, bot, [ben], encrypted=True)

    reply = await answer(lead, room, "!admin status", bot)
    lines = reply.body.splitlines()
    assert lines[0] == "Bot-Status"
    assert f"- Version: {__version__}" in lines
    assert f"- Konto: {bot.matrix.user_id}, Gerät {bot.matrix.device_id}" in lines
    assert "- Verschlüsselung: an" in lines
    assert f"- Räume: {len(bot.matrix.joined_rooms())}" in lines
    assert f"- Geplante Aufgaben: {bot.scheduler.job_count}" in lines
    assert re.search(r"^- Läuft seit: \d+ min$", reply.body, re.M), reply.body
    assert re.search(r"^- Datenbank: \d+,\d (KiB|MiB)$", reply.body, re.M), reply.body

    reply = await answer(ben, room, "!admin status", bot)
    assert "nur die Bot-Admins" in reply.body
    assert "Bot-Status" not in reply.body


async def test_backup_creates_a_readable_sqlite_copy(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    lead = await people("lead")
    bot = await start_bot(bot={"admins": [lead.user_id]})
    room = await team_room(lead, bot, [], encrypted=False)
    await answer(lead, room, "!sprache en", bot)  # something to find in the copy

    reply = await answer(lead, room, "!admin backup", bot)
    match = re.search(r"Backup created and checked: (\S+\.sqlite3) \(([\d.]+ KiB)\)", reply.body)
    assert match, reply.body
    path = Path(match.group(1))
    assert path.parent == bot.settings.data_dir / "backups"
    assert re.fullmatch(r"homeoffice-\d{8}T\d{6}Z\.sqlite3", path.name)
    mode, integrity, versions, languages = read_backup(path)
    assert mode == 0o600
    assert integrity == "ok"
    assert versions["kernel"] >= 1
    assert languages[room] == "en"


def read_backup(path: Path) -> tuple[int, str, dict[str, int], dict[str, str]]:
    """(file mode, integrity check, schema versions, room languages) of a backup file."""
    mode = path.stat().st_mode & 0o777
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
        versions = dict(copy.execute("SELECT component, version FROM schema_versions"))
        languages = dict(copy.execute("SELECT room_id, language FROM rooms"))
    finally:
        copy.close()
    return mode, integrity, versions, languages


async def test_members_of_the_admin_room_are_admins_there_only(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    lead = await people("lead")
    ben = await people("ben")
    bot = await start_bot()
    admin_room = await team_room(lead, bot, [ben], encrypted=True, name="Bot-Admins")
    team = await team_room(lead, bot, [ben], encrypted=False, name="Team *Digital*")
    await bot.stop()
    bot = await start_bot(bot={"admin_room": admin_room})

    reply = await answer(ben, admin_room, "!admin räume", bot)
    assert "Ich bin in 2 Räumen:" in reply.body
    assert f"- Bot-Admins — {admin_room}, 3 Mitglieder 🔒" in reply.body
    assert f"- Team *Digital* — {team}, 3 Mitglieder" in reply.body

    reply = await answer(ben, team, "!admin räume", bot)
    assert "nur die Bot-Admins" in reply.body

    reply = await answer(ben, admin_room, f"!admin verlassen {admin_room}", bot)
    assert "Das ist der Admin-Raum" in reply.body


async def test_leave_says_goodbye_and_leaves(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    lead = await people("lead")
    bot = await start_bot(bot={"admins": [lead.user_id]})
    control = await team_room(lead, bot, [], encrypted=False, name="Steuerung")
    other = await team_room(lead, bot, [], encrypted=True, name="Altes Projekt")

    reply = await answer(lead, control, "!admin verlassen Altes", bot)
    assert "„Altes“ ist keine Raum-ID" in reply.body
    reply = await answer(lead, control, "!admin verlassen !nirgends:localhost", bot)
    assert "Im Raum !nirgends:localhost bin ich nicht." in reply.body

    mark = lead.mark()
    reply = await answer(lead, control, f"!admin verlassen {other}", bot)
    assert reply.body == f"Ich habe den Raum Altes Projekt ({other}) verlassen."
    goodbye = await lead.wait_message(other, "auf Wunsch der Bot-Administration", since=mark)
    assert goodbye.sender == bot.matrix.user_id
    await lead.wait_for(
        Membership,
        lambda m: m.room_id == other and m.user_id == bot.matrix.user_id
        and m.membership == "leave",
        since=mark,
    )  # fmt: skip
