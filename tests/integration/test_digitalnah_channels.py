"""#DigitalNah beyond the room: the DM assistant, the signed webhook with retries, the
weekly digest, a restart, and ``homeoffice-bot publish`` from the database."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from digitalnah.webhook import EVENT_HEADER, SIGNATURE_HEADER, verify_signature
from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message

pytestmark = pytest.mark.integration

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]
FAST = {"debounce_seconds": 0.2, "max_wait_seconds": 1.0}
SECRET = "geheimes-webhook-secret"


def plugin(**settings: Any) -> dict[str, Any]:
    return {"enabled": ["digitalnah"], "digitalnah": {**FAST, **settings}}


async def test_assistant_in_a_direct_chat_submits_and_the_moderator_approves(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=plugin())
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    room = await team_room(lead, bot, [anna], encrypted=True)
    me = bot.matrix.user_id

    mark = anna.mark()
    reply = await anna.ask(room, "!angebot assistent", me)
    assert "Direktchat" in reply.body
    first = await anna.wait_for(
        Message, lambda m: m.sender == me and "Schritt 1 von 9" in m.body, since=mark
    )
    dm = first.room_id
    assert dm != room
    assert first.encrypted

    async def answer(text: str, expect: str) -> Message:
        got = await anna.ask(dm, text, me)
        assert expect in got.body, got.body
        return got

    await answer("Parken per App", "Schritt 2 von 9")
    await answer("Parkscheine mit dem Handy lösen.", "Schritt 3 von 9")
    await answer("javascript:alert(1)", "http:// oder https://")  # refused, same step
    await answer("https://parken.example.org", "1. Bürgerservice")
    await answer("6", "Schritt 5 von 9")
    for step in range(6, 10):
        await answer("-", f"Schritt {step} von 9")
    summary = await answer("-", "bitte prüfen")
    assert "Mobilität" in summary.body
    mark = lead.mark()
    await answer("ja", "Angebot #1 ist eingereicht")

    announcement = await lead.wait_message(room, "wartet auf Freigabe", sender=me, since=mark)
    assert "Parken per App" in announcement.body
    assert "Anna" in announcement.body
    mark = anna.mark()
    await lead.client.react(room, announcement.event_id, "✅")
    approved = await anna.wait_for(
        Message,
        lambda m: m.sender == me and m.thread_root == announcement.event_id,
        since=mark,
    )
    assert "gute Nachricht" in approved.body
    assert anna.user_id in approved.mentions


class Receiver:
    """A webhook endpoint on 127.0.0.1 that answers with ``statuses`` in turn, then 200."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[tuple[dict[str, str], bytes, int]] = []
        self.arrived = asyncio.Condition()
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        status = self.statuses.pop(0) if self.statuses else 200
        self.requests.append((dict(request.headers), body, status))
        async with self.arrived:
            self.arrived.notify_all()
        return web.Response(status=status)

    async def wait_for(self, count: int, timeout: float = 10) -> None:
        async with self.arrived:
            await asyncio.wait_for(
                self.arrived.wait_for(lambda: len(self.requests) >= count), timeout
            )


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver([500])
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    hook.url = f"http://127.0.0.1:{port}/hook"
    yield hook
    await runner.cleanup()


def soon_in_berlin(seconds: int) -> datetime:
    now = datetime.now(ZoneInfo("Europe/Berlin")).replace(microsecond=0)
    return now + timedelta(seconds=seconds)


async def test_webhook_digest_restart_and_publish_command(
    start_bot: BotFactory, people: PeopleFactory, receiver: Receiver, tmp_path: Path
) -> None:
    hook: dict[str, Any] = {
        "webhook_url": receiver.url,
        "webhook_secret": SECRET,
        "webhook_retry_seconds": [0, 0.2, 0.2],
        "public_url": "https://stadt.example.org",  # the same links after a restart
    }
    bot = await start_bot(plugins=plugin(**hook))
    lead = await people("lead", "Petra")
    room = await team_room(lead, bot, [], encrypted=False)
    me = bot.matrix.user_id

    mark = lead.mark()
    await lead.say(
        room,
        "!angebot neu\nTitel: Sperrmüll online anmelden\nLink: https://abfall.example.org\n"
        "Kategorie: Umwelt\nBeschreibung: Termin für die Abholung selbst wählen.",
    )
    await lead.wait_message(room, "Vollständig", sender=me, since=mark)
    await lead.ask(room, "!angebot freigeben 1", me)

    await receiver.wait_for(2)  # the first answer was 500: one retry
    assert [status for _, _, status in receiver.requests] == [500, 200]
    headers, body, _ = receiver.requests[1]
    assert verify_signature(body, SECRET, headers[SIGNATURE_HEADER])
    assert not verify_signature(body, "falsch", headers[SIGNATURE_HEADER])
    assert headers[EVENT_HEADER] == "published"
    payload = json.loads(body)
    assert payload["count"] == 1
    assert payload["items"][0]["title"] == "Sperrmüll online anmelden"
    assert payload["page_url"] == "https://stadt.example.org/digitalnah/"
    await bot.stop()

    at = soon_in_berlin(60)
    digest = {"digest_room": room, "digest_weekday": at.isoweekday(), "digest_time": at.time()}
    mark = lead.mark()
    clock = FixedClock(datetime.now(UTC))  # the digest comes when the test moves it
    bot = await start_bot(plugins=plugin(**hook, **digest), clock=clock)
    clock.set(at)
    weekly = await lead.wait_message(room, "neu in dieser Woche", sender=me, since=mark)
    assert "Sperrmüll online anmelden" in weekly.body
    assert len(receiver.requests) == 2  # nothing new was published: no second delivery
    await bot.stop()

    data_dir = bot.settings.data_dir
    public = data_dir / "plugins" / "digitalnah" / "public"
    for path in public.iterdir():
        path.unlink()
    config = tmp_path / "bot.toml"
    config.write_text(
        "[matrix]\n"
        f'homeserver = "{bot.settings.matrix.homeserver}"\n'
        f'user_id = "{me}"\n'
        'password = "not-used-for-publishing"\n'
        "[storage]\n"
        f'data_dir = "{data_dir}"\n'
        f'database = "{bot.settings.storage.database_target}"\n'  # the one the test run uses
        "[web]\n"
        'public_url = "https://bot.example.org"\n'
        "[plugins]\n"
        'enabled = ["digitalnah"]\n'
        "[plugins.digitalnah]\n"
        'site_title = "#DigitalNah Paderborn"\n',
        encoding="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "homeoffice_bot.cli", "--config", str(config), "publish",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "published 1 #DigitalNah offerings" in out.decode()
    fixed = {
        "angebote.csv",
        "angebote.md",
        "atom.xml",
        "feed.json",
        "index.html",
        ".published.json",
    }
    written = {p.name for p in public.iterdir()}
    assert fixed <= written
    assert len(written - fixed) == 1  # the page of the one category
    assert (written - fixed).pop().startswith("kategorie-")
    html = (public / "index.html").read_text(encoding="utf-8")
    assert "<title>#DigitalNah Paderborn</title>" in html
    assert "Sperrmüll online anmelden" in html
    feed = json.loads((public / "feed.json").read_text(encoding="utf-8"))
    assert feed["feed_url"] == "https://bot.example.org/digitalnah/feed.json"
    csv_lines = (public / "angebote.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[1].startswith("1,Sperrmüll online anmelden,")
