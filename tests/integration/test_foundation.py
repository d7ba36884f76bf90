"""The foundation end to end against a real Synapse: help, language, permissions,
invites, restarts, encrypted rooms, health."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Membership, Message
from homeoffice_bot.kernel.matrix import sync as sync_module

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
async def test_help_in_german_then_english(
    start_bot: Callable[..., Awaitable[App]],
    people: Callable[..., Awaitable[Person]],
    encrypted: bool,
) -> None:
    bot = await start_bot()
    anna = await people("anna")
    room = await team_room(anna, bot, [], encrypted=encrypted)

    reply = await anna.ask(room, "!hilfe", bot.matrix.user_id)
    assert "Das kann ich für euch tun" in reply.body
    assert "!moin" in reply.body  # the everyday commands, and how to see the rest
    assert "!hilfe alles" in reply.body
    assert "!sprache" not in reply.body
    assert reply.encrypted is encrypted
    reply = await anna.ask(room, "!hilfe alles", bot.matrix.user_id)
    assert "Nur für die Moderation dieses Raums:" in reply.body
    assert "!sprache" in reply.body.split("Nur für die Moderation dieses Raums:")[1]
    assert "🛡" not in reply.body

    reply = await anna.ask(room, "!sprache en", bot.matrix.user_id)
    assert "English" in reply.body
    reply = await anna.ask(room, "!help", bot.matrix.user_id)
    assert "Here is what I can do for you" in reply.body
    assert "!help all" in reply.body
    reply = await anna.ask(room, "!help all", bot.matrix.user_id)
    assert "!language" in reply.body


async def test_a_room_that_asks_for_sie_is_addressed_formally(
    start_bot: Callable[..., Awaitable[App]],
    people: Callable[..., Awaitable[Person]],
) -> None:
    bot = await start_bot()
    anna = await people("anna")
    room = await team_room(anna, bot, [], encrypted=False)

    reply = await anna.ask(room, "!anrede sie", bot.matrix.user_id)
    assert "mit „Sie“" in reply.body
    reply = await anna.ask(room, "!hilfe", bot.matrix.user_id)
    assert "Das kann ich für Sie tun" in reply.body
    reply = await anna.ask(room, "!kenn-ich-nicht", bot.matrix.user_id)
    assert "kenne ich nicht" in reply.body
    assert " du " not in f" {reply.body} "

    reply = await anna.ask(room, "!address informal", bot.matrix.user_id)
    assert "duze ich" in reply.body
    reply = await anna.ask(room, "!hilfe", bot.matrix.user_id)
    assert "Das kann ich für euch tun" in reply.body


async def test_help_for_one_command_and_unknown_command(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    bot = await start_bot()
    anna = await people("anna")
    room = await team_room(anna, bot, [], encrypted=False)

    reply = await anna.ask(room, "!hilfe sprache", bot.matrix.user_id)
    assert "Verwendung: !sprache <Sprache>" in reply.body
    assert "Moderation" in reply.body

    reply = await anna.ask(room, "!hilfr", bot.matrix.user_id)
    assert "kenne ich nicht" in reply.body
    assert "!hilfe" in reply.body

    reply = await anna.ask(room, "!sprache klingonisch", bot.matrix.user_id)
    assert "Verwendung: !sprache <Sprache>" in reply.body


async def test_member_is_refused_a_moderator_command(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    bot = await start_bot()
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=True)

    reply = await ben.ask(room, "!anrede sie", bot.matrix.user_id)
    assert "nur die Moderation" in reply.body
    reply = await ben.ask(room, "!sprache en", bot.matrix.user_id)
    assert "nur die Moderation" in reply.body
    assert await bot.rooms.language(room) == "de"


async def test_invite_from_a_not_allowed_user_is_declined(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    lead = await people("lead")
    bot = await start_bot(bot={"allowed_inviters": [lead.user_id]})
    stranger = await people("stranger")

    mark = stranger.mark()
    room = await stranger.client.create_room(name="Fremd", invite=[bot.matrix.user_id])
    left = await stranger.wait_for(
        Membership,
        lambda m: m.room_id == room and m.user_id == bot.matrix.user_id and m.membership == "leave",
        since=mark,
    )
    assert left.prev_membership == "invite"
    assert room not in bot.matrix.joined_rooms()

    allowed = await team_room(lead, bot, [], encrypted=False)
    assert allowed in bot.matrix.joined_rooms()


async def test_command_sent_while_bot_is_down_is_answered_once_on_the_same_device(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    bot = await start_bot()
    anna = await people("anna")
    room = await team_room(anna, bot, [], encrypted=True)
    device_before = bot.matrix.device_id
    await anna.ask(room, "!hilfe", bot.matrix.user_id)
    await bot.stop()

    mark = anna.mark()
    await anna.say(room, "!hilfe sprache")
    bot = await start_bot()
    assert bot.matrix.device_id == device_before

    await anna.wait_message(room, "!sprache", sender=bot.matrix.user_id, since=mark)
    # A sentinel: the room's answers go out in order, so a second answer to the command
    # typed while down would come before the answer to this later one.
    sentinel = await anna.say(room, "!hilfe")
    answer = await anna.wait_for(Message, lambda m: m.reply_to == sentinel, since=mark)
    end = anna.events.index(answer)
    answers = [
        e
        for e in anna.events[mark:end]
        if getattr(e, "sender", None) == bot.matrix.user_id and "Verwendung" in e.body
    ]
    assert len(answers) == 1


async def test_healthz_reports_logged_in_and_synced(
    start_bot: Callable[..., Awaitable[App]],
) -> None:
    bot = await start_bot()
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{bot.web.port}/healthz") as response,
    ):
        assert response.status == 200
        body = await response.json()
    assert body["status"] == "ok"
    assert body["logged_in"] is True
    assert body["device_id"] == bot.matrix.device_id


async def test_direct_messages_reuse_one_encrypted_room(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    bot = await start_bot()
    anna = await people("anna")
    first = await bot.matrix.direct_room(anna.user_id)
    assert await bot.matrix.direct_room(anna.user_id) == first  # before any sync shows it
    assert await bot.matrix.wait_member_joined(first, anna.user_id, timeout=20)
    await bot.matrix.send(first, "Guten Morgen, Anna!")
    message = await anna.wait_message(first, "Guten Morgen", sender=bot.matrix.user_id)
    assert message.encrypted
    assert message.is_direct

    reply = await anna.ask(first, "!hilfe", bot.matrix.user_id)
    assert reply.room_id == first
    assert "Das kann ich" in reply.body


async def test_more_commands_than_one_sync_holds_are_all_answered_after_a_restart(
    start_bot: Callable[..., Awaitable[App]],
    people: Callable[..., Awaitable[Person]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sync_module, "TIMELINE_LIMIT", 3)
    bot = await start_bot()
    anna = await people("anna")
    room = await team_room(anna, bot, [], encrypted=True)
    await anna.ask(room, "!hilfe", bot.matrix.user_id)
    await bot.stop()

    mark = anna.mark()
    topics = ["hilfe", "sprache", "hilfe hilfe", "help", "hilfe language", "hilfe sprache"]
    for topic in topics:
        await anna.say(room, f"!hilfe {topic}")
    bot = await start_bot()
    for _ in range(100):
        answers = [
            e
            for e in anna.events[mark:]
            if isinstance(e, Message) and e.sender == bot.matrix.user_id
        ]
        if len(answers) >= len(topics):
            break
        await asyncio.sleep(0.2)
    assert len(answers) == len(topics)
