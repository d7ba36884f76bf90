"""Workday, by taps and plain words: the lead says good morning and the board appears with
its reactions as buttons; Anna taps 🟢, Ben writes "moin" to the bot; Anna taps ☕ and
chooses how long with one more tap; Ben writes "Feierabend"; when Anna mentions him the
bot answers kindly in a thread; Anna writes "bin zurück", and when Ben writes "moin" again
his morning message brings the mention (so later scenes find everyone at work).

Nobody but the lead types a command here, and the team room gets no confirmations: the
words go to each person's direct chat. The scene ends by counting the bot's messages in
the team room besides the board."""

from __future__ import annotations

from homeoffice_bot.demo.stage import Stage
from homeoffice_bot.kernel.events import Edit, Message, Reaction
from homeoffice_bot.kernel.ids import EventID
from homeoffice_bot.workday.buttons import BOARD_BUTTONS

NOISE_LINE = "Nachrichten des Bots im Teamraum außer der Übersicht in dieser Szene:"
"""How the scene reports what the team room got besides the board (the demo's test reads it)."""


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


async def _buttons(stage: Stage, event_id: EventID, since: int) -> None:
    """Wait until the bot's reactions are under the board (as the lead sees them)."""
    bot = stage.bot.matrix.user_id
    for key, _ in BOARD_BUTTONS:

        def button(r: Reaction, key: str = key) -> bool:
            return r.relates_to == event_id and r.sender == bot and r.key == key

        await stage.people["lead"].wait_for(Reaction, button, timeout=20, since=since)


async def play(stage: Stage) -> None:
    bot = stage.bot.matrix.user_id
    lead = stage.people["lead"]
    anna = stage.people["anna"]
    ben = stage.people["ben"]
    scene_start = lead.mark()

    stage.narrate("Die Teamleitung sagt „moin“: die Teamübersicht erscheint, mit Knöpfen")
    mark = lead.mark()
    await stage.say_personal("lead", "!moin", "Guten Morgen")
    board = await lead.wait_for(
        Message, lambda m: m.sender == bot and "Teamübersicht · Stand" in m.body, 20, mark
    )
    stage.show(board)
    await _buttons(stage, board.event_id, mark)
    stage.out(
        "    (darunter die Reaktionen des Bots: " + " ".join(k for k, _ in BOARD_BUTTONS) + ")"
    )

    stage.narrate("Anna tippt 🟢 an – ein Tipp statt eines Befehls")
    mark = lead.mark()
    await stage.tap("anna", board.event_id, "🟢", "Dienstbeginn", "Guten Morgen")
    await _board_update(stage, "Anna — Im Dienst", mark)

    stage.narrate("Ben schreibt dem Bot einfach „moin“, ohne Befehl")
    mark = lead.mark()
    await stage.write_direct("ben", "moin", "Verstanden")
    await _board_update(stage, "Ben — Im Dienst", mark)

    stage.narrate("Anna tippt ☕ an und wählt mit einem zweiten Tipp eine Viertelstunde")
    mark = lead.mark()
    question = await stage.tap("anna", board.event_id, "☕", "Pause", "Bis wann?")
    await anna.wait_for(
        Reaction,
        lambda r: r.relates_to == question.event_id and r.sender == bot and r.key == "1️⃣",
        timeout=20,
    )
    await stage.tap("anna", question.event_id, "1️⃣", "15 Minuten", "als Pause ein")
    await _board_update(stage, "Anna — Pause bis", mark)

    stage.narrate("Ben schreibt „Feierabend“")
    mark = lead.mark()
    await stage.write_direct("ben", "Feierabend", "Verstanden")
    await _board_update(stage, "Ben — Feierabend", mark)

    stage.narrate("Anna fragt Ben trotzdem etwas – der Bot antwortet freundlich im Thread")
    mark = anna.mark()
    text = f"{ben.user_id} wo finde ich die Präsentation von gestern?"
    event_id = await anna.say_mentioning(stage.room, text, ben.user_id, stage.names[ben.user_id])
    stage.show(await anna.wait_for(Message, lambda m: m.event_id == event_id, since=mark))
    await stage.expect("anna", 1, room=stage.room, since=mark)

    stage.narrate("Anna schreibt „bin zurück“; Ben schreibt wieder „moin“ und bekommt die Frage")
    await stage.write_direct("anna", "bin zurück", "Verstanden")
    await stage.write_direct("ben", "moin", "Während du weg warst")

    room_messages = [
        e for e in lead.events[scene_start:]
        if isinstance(e, Message) and e.sender == bot and e.room_id == stage.room
        and e.event_id != board.event_id
    ]  # fmt: skip
    stage.out("")
    stage.out(f"{NOISE_LINE} {len(room_messages)} (für {len(stage.people)} Personen)")
    for message in room_messages:
        first = message.body.splitlines()[0] if message.body else ""
        stage.out(f"    · {first[:90]}")
