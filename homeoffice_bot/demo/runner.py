"""Runs the demo: a local Synapse, the bot, three people, and the scenes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from pathlib import Path

from homeoffice_bot.app import App
from homeoffice_bot.demo.scenes import SCENES
from homeoffice_bot.demo.stage import Stage
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room

log = logging.getLogger(__name__)

TEAM = {"lead": "Petra (Teamleitung)", "anna": "Anna", "ben": "Ben"}
PASSWORD = "demo-passwort"


async def run_demo(*, keep: bool = False, workdir: Path | None = None) -> int:
    base = workdir or Path(tempfile.mkdtemp(prefix="homeoffice-demo-"))
    base.mkdir(parents=True, exist_ok=True)
    server = SynapseServer(base / "synapse")
    print("Starte einen lokalen Matrix-Homeserver (Synapse) …")
    await server.start_async()
    people: dict[str, Person] = {}
    bot: App | None = None
    try:
        bot_id = server.register_user("homeoffice", PASSWORD, displayname="Homeoffice-Bot")
        for key, display in TEAM.items():
            mxid = server.register_user(key, PASSWORD, displayname=display)
            people[key] = Person(server.url, mxid, PASSWORD, base / "people" / key)
            await people[key].start()
        bot = App(
            dev_bot_settings(
                server.url, bot_id, PASSWORD, base / "bot", plugins={"enabled": ["digitalnah"]}
            )
        )
        await bot.start()
        await bot.wait_synced()
        room = await team_room(
            people["lead"],
            bot,
            [people["anna"], people["ben"]],
            encrypted=True,
            name="Team Digital",
        )
        names = {p.user_id: TEAM[k] for k, p in people.items()} | {bot_id: "Homeoffice-Bot"}
        stage = Stage(bot, room, people, names)
        print(f"Raum „Team Digital“ (verschlüsselt) mit {', '.join(TEAM.values())} und dem Bot.")
        for scene in SCENES:
            await scene(stage)
        print("\nDemo beendet.")
        if keep:
            print(f"\nDer Homeserver läuft weiter: {server.url}")
            print(f"Anmelden z. B. mit Element: Benutzer {', '.join(TEAM)} · Passwort {PASSWORD}")
            print(f"Web-Seite des Bots: http://127.0.0.1:{bot.web.port}/  (Strg+C beendet)")
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.Event().wait()
        return 0
    finally:
        if bot is not None:
            await bot.stop()
        for person in people.values():
            await person.stop()
        await server.stop_async()
        if workdir is None and not keep:
            shutil.rmtree(base, ignore_errors=True)
