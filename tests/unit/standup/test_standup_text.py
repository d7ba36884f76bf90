from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from standup_helpers import tr_de, tr_en

from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.text import format_clock, format_length


@pytest.mark.parametrize(
    ("seconds", "de", "en"),
    [
        (600, "10 Minuten", "10 minutes"),
        (60, "1 Minute", "1 minute"),
        (20, "20 Sekunden", "20 seconds"),
        (1, "1 Sekunde", "1 second"),
        (90, "1 Minute 30 Sekunden", "1 minute 30 seconds"),
    ],
)
def test_format_length(seconds: int, de: str, en: str) -> None:
    assert format_length(seconds, tr_de) == de
    assert format_length(seconds, tr_en) == en


def test_format_clock_shows_seconds_only_when_set() -> None:
    assert format_clock(time(9, 0)) == "09:00"
    assert format_clock(time(9, 0, 30)) == "09:00:30"


def test_status_of_a_short_demo_window() -> None:
    config = StandupConfig("demo", "!r:example.org", time(9, 0, 30), window_seconds=20)
    text = config.describe(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tr_de)
    assert "Zeit: 09:00:30 Uhr (Europe/Berlin), Mo–Fr" in text
    assert "Dauer: 20 Sekunden · Modus: schriftlich" in text
    assert "Erinnerung: bei 80 % der Zeit (nach 16 Sekunden)" in text
    assert text.endswith("Nächster Termin: Mo, 23.11.2026, 09:00")
