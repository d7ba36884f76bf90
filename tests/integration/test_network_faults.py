"""The homeserver goes away and comes back: the bot backs off and carries on by itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room

pytestmark = pytest.mark.integration


async def test_bot_recovers_after_the_homeserver_restarts(
    own_synapse: SynapseServer, tmp_path: Path
) -> None:
    bot_id = own_synapse.register_user("bot", "pw")
    anna_id = own_synapse.register_user("anna", "pw")
    settings = dev_bot_settings(own_synapse.url, bot_id, "pw", tmp_path / "bot", web=False)
    bot = App(settings)
    await bot.start()
    await bot.wait_synced()
    anna = Person(own_synapse.url, anna_id, "pw", tmp_path / "anna")
    await anna.start()
    try:
        room = await team_room(anna, bot, [], encrypted=True)
        await anna.ask(room, "!hilfe", bot.matrix.user_id)

        await own_synapse.stop_async()
        for _ in range(100):  # the sync loop notices and backs off
            if bot.matrix.backoff_seconds > 0:
                break
            await asyncio.sleep(0.1)
        assert bot.matrix.backoff_seconds > 0
        status, _ = await bot.health()
        assert status == "ok"  # a short fault is no alarm yet (see bot.degraded_after_seconds)

        await own_synapse.start_async()
        reply = await anna.ask(room, "!hilfe sprache", bot.matrix.user_id, timeout=90)
        assert "Verwendung" in reply.body
        assert bot.matrix.backoff_seconds == 0
    finally:
        await anna.stop()
        await bot.stop()
