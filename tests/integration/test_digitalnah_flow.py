"""#DigitalNah end to end against a real Synapse: a tip without a category is completed in
its thread, a member's ✅ does not approve, the moderator's does, and the offering is on
the page and in both feeds; hostile text stays text everywhere; the audit trail."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import feedparser
import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID

pytestmark = pytest.mark.integration

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]
FAST = {"debounce_seconds": 0.2, "max_wait_seconds": 1.0}
TIP = (
    "Neu: Online-Terminbuchung fürs Bürgerbüro. Termine rund um die Uhr online buchen. "
    "https://termine.example.org #DigitalNah"
)


def plugin(**settings: Any) -> dict[str, Any]:
    return {"enabled": ["digitalnah"], "digitalnah": {**FAST, **settings}}


async def fetch(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


async def wait_published(url: str, text: str, *, present: bool = True, timeout: float = 10) -> str:
    """Poll the page until ``text`` is (or is no longer) on it; the body."""
    deadline = time.monotonic() + timeout
    while True:
        status, _, body = await fetch(url)
        if status == 200 and (text in body) is present:
            return body
        assert time.monotonic() < deadline, f"{text!r} present={not present} on {url}"
        await asyncio.sleep(0.1)


async def bot_in_thread(
    person: Person, bot: App, root: EventID, contains: str, *, since: int, timeout: float = 20
) -> Message:
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.thread_root == root and contains in m.body,
        timeout,
        since,
    )


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_tip_completed_in_thread_approved_by_moderator_and_published(
    start_bot: BotFactory, people: PeopleFactory, encrypted: bool
) -> None:
    bot = await start_bot(plugins=plugin())
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    ben = await people("ben", "Ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=encrypted)
    page = bot.web.address() + "/digitalnah/"

    mark = anna.mark()
    tip = await anna.say(room, TIP)
    asked = await bot_in_thread(anna, bot, tip, "Es fehlt noch", since=mark)
    assert "Kategorie" in asked.body.split("Es fehlt noch:")[1]
    assert "Online-Terminbuchung fürs Bürgerbüro" in asked.body
    assert asked.encrypted is encrypted

    mark = anna.mark()
    await anna.say(room, "Bürgerservice", thread_root=tip)
    complete = await bot_in_thread(anna, bot, tip, "Vollständig", since=mark)
    assert "Bürgerservice & Online-Verwaltung" in complete.body
    assert "Angebot #1" in complete.body

    mark = ben.mark()
    await ben.client.react(room, tip, "✅")
    note = await bot_in_thread(ben, bot, tip, "nur die Moderation", since=mark)
    assert "Ben" in note.body
    reply = await ben.ask(room, "!angebot 1", bot.matrix.user_id)
    assert "Ein Angebot #1 gibt es nicht" in reply.body  # a plain member sees no draft
    assert "Online-Terminbuchung" not in reply.body

    mark = anna.mark()
    await lead.client.react(room, complete.event_id, "✅")
    approved = await bot_in_thread(anna, bot, tip, "gute Nachricht", since=mark)
    assert anna.user_id in approved.mentions
    assert "Petra hat dein #DigitalNah-Angebot #1" in approved.body
    assert page in approved.body

    html = await wait_published(page, "Online-Terminbuchung fürs Bürgerbüro")
    assert '<html lang="de">' in html
    assert 'href="https://termine.example.org"' in html
    status, content_type, atom = await fetch(page + "atom.xml")
    assert (status, content_type) == (200, "application/atom+xml; charset=utf-8")
    feed = feedparser.parse(atom)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Online-Terminbuchung fürs Bürgerbüro"]
    assert feed.entries[0].link == "https://termine.example.org"
    status, content_type, body = await fetch(page + "feed.json")
    assert content_type.startswith("application/feed+json")
    json_feed = json.loads(body)
    assert json_feed["version"] == "https://jsonfeed.org/version/1.1"
    assert json_feed["title"]
    assert json_feed["items"]
    item = json_feed["items"][0]
    assert {"id", "url", "title", "content_text", "date_published"} <= set(item)
    assert item["title"] == "Online-Terminbuchung fürs Bürgerbüro"
    assert item["_digitalnah"]["category"] == "Bürgerservice & Online-Verwaltung"

    mark = lead.mark()
    detail = await lead.ask(room, "!angebot 1", bot.matrix.user_id)
    assert "Status: freigegeben" in detail.body
    assert "Verlauf:" not in detail.body  # Ben reads along
    private = await lead.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.is_direct and "Verlauf:" in m.body,
        since=mark,
    )
    history = private.body.split("Verlauf:")[1]
    assert f"eingereicht von Anna ({anna.user_id})" in history
    assert f"freigegeben von Petra ({lead.user_id})" in history
    assert history.index("eingereicht") < history.index("freigegeben von Petra")


HOSTILE = (
    "!angebot neu\n"
    "Titel: <script>alert(1)</script>\n"
    'Beschreibung: "><img src=x onerror=alert(2)> **fett** [klick](javascript:alert(3))\n'
    "Link: javascript:alert(4)\n"
    "Kategorie: Umwelt"
)


def assert_inert(html: str) -> None:
    """No element or handler of the hostile text made it into ``html`` as markup."""
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert 'href="javascript' not in lowered
    assert "&amp;lt;" not in html, "escaped twice"


async def test_hostile_text_is_text_in_chat_page_feeds_and_markdown(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=plugin())
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    page = bot.web.address() + "/digitalnah/"

    mark = anna.mark()
    command = await anna.say(room, HOSTILE)
    reply = await bot_in_thread(anna, bot, command, "Bitte korrigieren", since=mark)
    assert "<script>alert(1)</script>" in reply.body  # shown as typed …
    assert reply.formatted_body is not None
    assert_inert(reply.formatted_body)  # … and never as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.formatted_body
    assert "javascript:alert(4)" in reply.body  # the refused link is quoted back
    assert "http:// oder https://" in reply.body

    mark = anna.mark()
    await anna.say(room, "Link: https://example.org/ok", thread_root=command)
    done = await bot_in_thread(anna, bot, command, "Vollständig", since=mark)
    assert done.formatted_body is not None
    assert_inert(done.formatted_body)
    assert "**fett**" in done.formatted_body  # Markdown in user text stays literal

    reply = await lead.ask(room, "!angebot freigeben 1", bot.matrix.user_id)
    assert reply.formatted_body is not None
    assert_inert(reply.formatted_body)

    html = await wait_published(page, "alert(1)")
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    _, _, atom = await fetch(page + "atom.xml")
    assert "<script" not in atom
    assert "<img" not in atom
    feed = feedparser.parse(atom)
    assert not feed.bozo
    assert feed.entries[0].title == "<script>alert(1)</script>"
    _, _, body = await fetch(page + "feed.json")
    assert "<" not in body
    assert ">" not in body
    item = json.loads(body)["items"][0]
    assert item["title"] == "<script>alert(1)</script>"
    assert item["url"] == "https://example.org/ok"
    _, content_type, markdown = await fetch(page + "angebote.md")
    assert content_type.startswith("text/markdown")
    assert "<script" not in markdown
    assert "<img" not in markdown
    assert "javascript:" not in markdown.replace("\\(javascript:", "")
    status, _, _ = await fetch(page + "%2e%2e%2f%2e%2e%2fhomeoffice.sqlite3")
    assert status == 404


async def test_offering_from_field_lines_with_english_keys(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=plugin())
    lead = await people("lead", "Petra")
    room = await team_room(lead, bot, [], encrypted=False)

    mark = lead.mark()
    command = await lead.say(
        room,
        "!angebot neu\nTitle: Parken per App\nDescription: Parkschein mit dem Handy.\n"
        "Link: https://parken.example.org\nCategory: Mobilität\nProvider: Ordnungsamt\n"
        "Available since: 01.04.2024\nTags: Parken, App",
    )
    reply = await bot_in_thread(lead, bot, command, "Vollständig", since=mark)
    for shown in ("Parken per App", "Mobilität", "Ordnungsamt", "01.04.2024", "Parken, App"):
        assert shown in reply.body

    reply = await lead.ask(room, "!angebot neu", bot.matrix.user_id)
    assert "Titel: Online-Terminbuchung" in reply.body  # a template to copy

    mark = lead.mark()
    await lead.edit(room, command, "!angebot neu Titel: Parken per Handy\nKategorie: Mobilität")
    edited = await bot_in_thread(lead, bot, command, "aktualisiert", since=mark)
    assert "Parken per Handy" in edited.body
    assert "Ordnungsamt" in edited.body  # fields the edit leaves out stay

    mark = lead.mark()
    await lead.say(room, "!angebot bearbeiten 1\nKontakt: ordnungsamt@example.org")
    await lead.wait_message(room, "Angebot #1 ist geändert", sender=bot.matrix.user_id, since=mark)
    changed = await bot_in_thread(lead, bot, command, "ordnungsamt@example.org", since=mark)
    assert "aktualisiert" in changed.body

    mark = lead.mark()
    again = await lead.say(
        room, "!angebot neu\nTitel: Parken per Handy\nLink: https://parken.example.org/"
    )
    reply = await bot_in_thread(lead, bot, again, "Es fehlt noch", since=mark)
    assert "Dieser Link ist schon erfasst – Angebot #1" in reply.body


async def test_edit_of_an_approved_offering_sends_it_back_to_review(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=plugin())
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    page = bot.web.address() + "/digitalnah/"

    mark = anna.mark()
    tip = await anna.say(room, TIP.replace("#DigitalNah", "#Bürgerservice #DigitalNah"))
    await bot_in_thread(anna, bot, tip, "Vollständig", since=mark)
    mark = anna.mark()
    await lead.client.react(room, tip, "✅")
    await bot_in_thread(anna, bot, tip, "gute Nachricht", since=mark)
    await wait_published(page, "Online-Terminbuchung")

    mark = anna.mark()
    await anna.edit(room, tip, TIP.replace("Online-Terminbuchung", "Terminbuchung online"))
    back = await bot_in_thread(anna, bot, tip, "nicht mehr veröffentlicht", since=mark)
    assert "Terminbuchung online" in back.body
    await wait_published(page, "Terminbuchung", present=False)

    mark = anna.mark()
    await anna.say(room, "!angebot zurückziehen 1", thread_root=tip)
    await bot_in_thread(anna, bot, tip, "zurückgezogen", since=mark)
    mark = lead.mark()
    asked = await lead.say(room, "!angebot freigeben 1")
    reply = await lead.wait_for(  # the answer to this command, not the withdrawal notice
        Message, lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked, since=mark
    )
    assert "zurückgezogen oder beendet" in reply.body


async def test_a_tip_too_long_to_quote_gets_the_length_message(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=plugin())
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    room = await team_room(lead, bot, [anna], encrypted=False)

    mark = anna.mark()
    tip = await anna.say(room, "Neu: " + "Terminbuchung " * 4300 + "#DigitalNah")  # 60 kB
    reply = await bot_in_thread(anna, bot, tip, "zu lang", since=mark)
    assert "60216 Zeichen, höchstens 5000" in reply.body
    assert "Neu: Online-Terminbuchung" in reply.body  # an example of what works
    missing = await anna.ask(room, "!angebot 1", bot.matrix.user_id)
    assert "Ein Angebot #1 gibt es nicht" in missing.body
