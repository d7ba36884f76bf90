"""The basics: help in German, a member asks for help in English."""

from __future__ import annotations

from homeoffice_bot.demo.stage import Stage


async def play(stage: Stage) -> None:
    stage.narrate("Die Teamleitung fragt den Bot, was er kann")
    await stage.say("lead", "!hilfe")
    stage.narrate("Ben möchte wissen, wie man die Sprache umstellt, darf es aber nicht")
    await stage.say("ben", "!hilfe sprache")
    await stage.say("ben", "!sprache en")
