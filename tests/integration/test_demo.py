"""The README's first command: the demo plays its whole conversation on a local homeserver."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
        "✉ Direktnachricht an Ben:",  # a personal answer by direct message
        "Während du weg warst",  # the mention held while Ben was off
        "du bist dran",  # the live run of show
        "Entscheidungen",  # minutes with sections
        "Online-Terminbuchung fürs Bürgerbüro",  # #DigitalNah published
    ):
        assert seen in transcript, seen
