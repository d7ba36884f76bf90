"""Live stand-up: the lead switches the stand-up to a call (the bot asks for the link),
starts a round; the bot calls on each speaker in the thread, Anna and Ben hand on with
"weiter", note a decision, an action and a blocker; the lead ends the round and the
minutes have their sections."""

from __future__ import annotations

from homeoffice_bot.demo.stage import Stage


async def play(stage: Stage) -> None:
    stage.narrate("Morgen soll es ein Call sein: die Teamleitung stellt auf live um")
    await stage.say("lead", "!standup modus live", replies=2)
    await stage.say("lead", "!standup link https://meet.jit.si/team-digital")

    stage.narrate("Die Runde startet: der Bot ruft auf, wer dran ist, und sagt, wer danach kommt")
    kickoff, prompt = await stage.say("lead", "!standup jetzt", replies=2)
    root = kickoff.event_id
    by_id = {person.user_id: name for name, person in stage.people.items()}
    first = by_id[prompt.mentions[0]]
    second = "ben" if first == "anna" else "anna"

    stage.narrate("Im Thread entsteht das Protokoll: Entscheidung, Aufgabe, Blocker")
    await stage.say(first, "Entscheidung: Das Bürgerportal geht am Freitag live",
                    thread_root=root, replies=0)  # fmt: skip
    ben = stage.people["ben"].user_id
    await stage.say("anna", f"Aufgabe: Pressetext abstimmen {ben} bis Freitag",
                    thread_root=root, replies=0)  # fmt: skip

    stage.narrate("Wer fertig ist, sagt „weiter“ – die Zeit geht an die anderen")
    await stage.say(first, "weiter", thread_root=root)
    await stage.say("ben", "Blocker: Der VPN-Zugang fehlt noch", thread_root=root, replies=0)
    await stage.say(second, "weiter", thread_root=root)

    stage.narrate("Die Teamleitung beendet die Runde früher; das Protokoll kommt mit Abschnitten")
    await stage.say("lead", "!standup beenden", replies=2)
