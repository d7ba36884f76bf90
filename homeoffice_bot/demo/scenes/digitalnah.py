"""#DigitalNah: Anna reports a new digital service without a category, the bot asks for it
in the thread, she answers, the team lead approves with ✅, and the page shows it."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from homeoffice_bot.demo.stage import Stage

TIP = (
    "Neu: Online-Terminbuchung fürs Bürgerbüro. Termine rund um die Uhr online buchen, "
    "auch am Wochenende. https://termine.paderborn.example/ #DigitalNah"
)
TITLE = "Online-Terminbuchung fürs Bürgerbüro"


async def _wait_for_page(url: str, text: str, timeout: float = 12) -> bool:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            async with http.get(url) as response:
                if response.status == 200 and text in await response.text():
                    return True
            await asyncio.sleep(0.25)
    return False


async def play(stage: Stage) -> None:
    stage.narrate("#DigitalNah: Anna meldet ein neues digitales Angebot – ohne Kategorie")
    (asked,) = await stage.say("anna", TIP)
    tip = asked.thread_root
    assert tip is not None, "the bot answers in the tip's thread"

    stage.narrate("Anna antwortet im Thread mit der Kategorie")
    (complete,) = await stage.say("anna", "Bürgerservice", thread_root=tip)

    stage.narrate("Petra (Teamleitung) gibt das Angebot mit ✅ frei")
    anna = stage.people["anna"]
    mark = anna.mark()
    await stage.people["lead"].client.react(stage.room, complete.event_id, "✅")
    await stage.expect("anna", 1, since=mark)

    page = stage.bot.web.address() + "/digitalnah/"
    if await _wait_for_page(page, TITLE):
        stage.narrate(f"Wenige Sekunden später steht es auf der Seite: {page}")
        stage.out(f"    „{TITLE}“ – dazu Atom-Feed, JSON Feed, Markdown und CSV")
    else:
        stage.narrate(f"Die Seite {page} zeigt das Angebot noch nicht")
