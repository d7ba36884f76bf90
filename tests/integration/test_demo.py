"""The README's first command: the demo plays its whole conversation on a local homeserver."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from homeoffice_bot.demo.scenes.workday import NOISE_LINE

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_the_demo_plays_to_the_end(tmp_path: Path) -> None:
    program = Path(sys.executable).parent / "homeoffice-bot"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEOFFICE_")}
    done = subprocess.run(
        [str(program), "demo", "--workdir", str(tmp_path / "demo")],
        capture_output=True, text=True, timeout=600, env=env, check=False,
    )  # fmt: skip
    transcript = done.stdout
    assert done.returncode == 0, transcript[-3000:] + done.stderr[-3000:]
    assert transcript.rstrip().endswith("Demo beendet.")
    for seen in (
        "✉ Direktnachricht an Anna:",  # a personal answer by direct message
        "👆 Anna tippt 🟢 an",  # a tap on the board
        "Anna — Im Dienst",  # ... and the board follows
        "Ben an den Bot (Direktnachricht):",  # plain words in the direct chat
        "Verstanden: Arbeitsbeginn",
        "Bis wann?",  # a tap on ☕ asks, a second tap answers
        "Anna — Pause bis",
        "Während du weg warst",  # the mention held while Ben was off
        "du bist dran",  # the live run of show
        "Entscheidungen",  # minutes with sections
        "Online-Terminbuchung fürs Bürgerbüro",  # #DigitalNah published
    ):
        assert seen in transcript, seen
    # the team room: besides the board, at most one bot message per person in the workday
    [count_line] = [line for line in transcript.splitlines() if line.startswith(NOISE_LINE)]
    match = re.fullmatch(rf"{NOISE_LINE} (\d+) \(für (\d+) Personen\)", count_line)
    assert match is not None, count_line
    counted, people = match.groups()
    assert int(counted) <= int(people), count_line
    # the clerks typed no command in the workday scene (only the lead said !moin)
    workday = transcript.split("Die Teamleitung sagt „moin“", 1)[1].split(NOISE_LINE, 1)[0]
    commands = [line for line in workday.splitlines() if re.search(r"\] (Anna|Ben): !", line)]
    assert commands == []
