"""Stand-up: the lead sets up the daily stand-up and starts one right away; Anna and Ben
answer in the thread (Ben with a blocker); the lead ends the round and the report is in
the thread, the blocker highlighted."""

from __future__ import annotations

from homeoffice_bot.demo.stage import Stage


async def play(stage: Stage) -> None:
    lead = stage.people["lead"]
    stage.narrate(
        "Die Teamleitung richtet das tägliche Stand-up ein (sie selbst wird nicht gefragt)"
    )
    await stage.say("lead", "!standup einrichten 09:00 mo-fr")
    await stage.say("lead", f"!standup teilnehmer entfernen {lead.user_id}")

    stage.narrate("Heute startet sie es sofort")
    kickoff = (await stage.say("lead", "!standup jetzt"))[0]

    stage.narrate("Anna und Ben antworten im Thread – Ben hängt fest")
    await stage.say(
        "anna",
        "1. Förderantrag eingereicht\n2. Workshop Bürgerportal\n3. nichts",
        thread_root=kickoff.event_id,
        replies=0,
    )
    await stage.say(
        "ben",
        "Gestern: Online-Terminvergabe getestet\nHeute: Schulung Bürgerbüro\n"
        "Blocker: VPN-Zugang fehlt noch",
        thread_root=kickoff.event_id,
        replies=0,
    )

    stage.narrate("Alle sind fertig: die Teamleitung beendet die Runde, der Bericht kommt")
    await stage.say("lead", "!standup beenden")
