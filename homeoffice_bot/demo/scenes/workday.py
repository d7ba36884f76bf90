"""Workday: the team checks in, Anna takes a break and the board follows, Ben calls it a
day, and when Anna mentions him the bot answers kindly in a thread; when Ben is back, he
gets the mention by direct message (so later scenes find everyone at work). Personal
commands get a ✅ in the room and their answer by direct message."""

from __future__ import annotations

from homeoffice_bot.demo.stage import Stage
from homeoffice_bot.kernel.events import Edit, Message


async def _board_update(stage: Stage, contains: str, since: int) -> None:
    """Wait for the board (in the lead's client) to be edited so that it says ``contains``."""
    edit = await stage.people["lead"].wait_for(
        Edit,
        lambda e: e.sender == stage.bot.matrix.user_id and contains in e.new_body,
        timeout=20,
        since=since,
    )
    stage.out("    ✎ Übersicht bearbeitet:")
    for line in edit.new_body.splitlines():
        if line.startswith("- "):
            stage.out(f"      {line}")


async def play(stage: Stage) -> None:
    bot = stage.bot.matrix.user_id
    lead = stage.people["lead"]
    stage.narrate("Der Arbeitstag beginnt: wer da ist, sagt kurz „moin“")
    mark = lead.mark()
    await stage.say_personal("anna", "!moin", "Guten Morgen")
    board = await lead.wait_for(
        Message,
        lambda m: m.sender == bot and "Teamübersicht · Stand" in m.body,
        timeout=20,
        since=mark,
    )
    stage.show(board)
    mark = lead.mark()
    await stage.say_personal("ben", "!moin", "Guten Morgen")
    await _board_update(stage, "Ben — Im Dienst", mark)

    stage.narrate("Anna macht eine Viertelstunde Pause; die Übersicht zeigt es")
    mark = lead.mark()
    await stage.say_personal("anna", "!pause 15m", "Pause")
    await _board_update(stage, "Anna — Pause bis", mark)

    stage.narrate("Ben macht Feierabend")
    mark = lead.mark()
    await stage.say_personal("ben", "!feierabend", "Feierabend")
    await _board_update(stage, "Ben — Feierabend", mark)

    stage.narrate("Anna fragt Ben trotzdem etwas – der Bot antwortet freundlich im Thread")
    anna = stage.people["anna"]
    ben = stage.people["ben"]
    mark = anna.mark()
    text = f"{ben.user_id} wo finde ich die Präsentation von gestern?"
    event_id = await anna.say_mentioning(stage.room, text, ben.user_id, stage.names[ben.user_id])
    stage.show(await anna.wait_for(Message, lambda m: m.event_id == event_id, since=mark))
    await stage.expect("anna", 1, since=mark)

    stage.narrate("Anna ist zurück; Ben meldet sich wieder an und bekommt die Frage per DM")
    await stage.say_personal("anna", "!zurück", "zurück")
    mark = ben.mark()
    await stage.say_personal("ben", "!moin", "Guten Morgen")
    digest = await ben.wait_for(
        Message,
        lambda m: m.sender == bot and m.is_direct and "Während du weg warst" in m.body,
        timeout=30,
        since=mark,
    )
    stage.out("    ✉ Direktnachricht an Ben:")
    stage.show(digest)
