"""Plain words in the direct chat, read by ``plain_words.understand``: a table of real
phrasings, and properties that hold for any text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.kernel.localtime import local_time
from homeoffice_bot.workday.plain_words import (
    KINDS,
    Ambiguous,
    Away,
    Break,
    Intent,
    Leave,
    NotUnderstood,
    Problem,
    Reading,
    Understood,
    understand,
)

TZ = "Europe/Berlin"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday, 10:00 in Berlin


def short(intent: Intent) -> str:
    """``break@13:00``, ``away@+20 reason=Arzt``, ``leave 14.12.-18.12. by=Ben``."""
    if isinstance(intent, Break | Away):
        text = intent.kind
        if intent.until is not None:
            minutes = round((intent.until - NOW).total_seconds() / 60)
            clock = local_time(intent.until, TZ)
            text += f"@{clock:%H:%M}" if minutes >= 120 else f"@+{minutes}"
        if isinstance(intent, Away) and intent.reason:
            text += f" reason={intent.reason}"
        return text
    if isinstance(intent, Leave):
        text = f"leave {intent.first_day:%d.%m.}-{intent.last_day:%d.%m.}"
        return text + (f" by={intent.stand_in}" if intent.stand_in else "")
    return intent.kind


def summary(reading: Reading) -> str:
    if isinstance(reading, Understood):
        return short(reading.intent)
    if isinstance(reading, Ambiguous):
        return "ask " + " | ".join(short(r) for r in reading.readings)
    if isinstance(reading, Problem):
        return f"problem {reading.key.rsplit('.', 1)[-1]}"
    return "no"


PHRASES: list[tuple[str, str]] = [
    # starting the day
    ("moin", "start"),
    ("Moin!", "start"),
    ("moin moin", "start"),
    ("Guten Morgen", "start"),
    ("Morgen!", "start"),
    ("Hallo", "start"),
    ("bin da", "start"),
    ("Ich bin da", "start"),
    ("ich fange an", "start"),
    ("Dienstbeginn", "start"),
    ("Servus", "start"),
    ("los geht's", "start"),
    ("Good morning", "start"),
    ("morning", "start"),
    ("hello", "start"),
    ("I'm in", "start"),
    ("starting", "start"),
    ("Hi", "start"),
    # breaks
    ("Pause", "break"),
    ("Mittagspause", "break"),
    ("Mittag", "break"),
    ("Mittagspause bis 13 Uhr", "break@13:00"),
    ("mittagspause bis 13:30", "break@13:30"),
    ("Pause bis 13", "break@13:00"),
    ("Pause bis 1", "break@13:00"),
    ("pause 30 min", "break@+30"),
    ("30 min Pause", "break@+30"),
    ("Kaffeepause 15 Minuten", "break@+15"),
    ("Pause, eine halbe Stunde", "break@+30"),
    ("halbe Stunde Pause", "break@+30"),
    ("Pause für eine Stunde", "break@+60"),
    ("Pause 1h", "break@+60"),
    ("pause 1,5 std", "break@+90"),
    ("Mittagessen bis 12:45", "break@12:45"),
    ("Pause 30", "break@+30"),
    ("Pause 13", "ask break@+13 | break@13:00"),
    ("pause 15", "ask break@+15 | break@15:00"),
    ("break", "break"),
    ("lunch", "break"),
    ("lunch until 1 pm", "break@13:00"),
    ("lunch break until 13:00", "break@13:00"),
    ("coffee break 15 min", "break@+15"),
    ("break for 30 minutes", "break@+30"),
    ("taking a break until 2pm", "break@14:00"),
    ("break for half an hour", "break@+30"),
    ("Pause bis 9 Uhr", "problem until_past"),
    ("Pause bis 8:00", "problem until_past"),
    # away
    ("bin kurz weg", "away"),
    ("kurz weg", "away"),
    ("bin kurz weg bis 14 Uhr (Arzt)", "away@14:00 reason=Arzt"),
    ("weg bis 14:00 Arzttermin", "away@14:00 reason=arzttermin"),
    ("Arzttermin bis 14 Uhr", "away@14:00 reason=arzttermin"),
    ("bin beim Arzt bis 14 Uhr", "away@14:00 reason=beim arzt"),
    ("nicht erreichbar bis 15 Uhr", "away@15:00"),
    ("bin unterwegs", "away"),
    ("kurz weg, 20 min", "away@+20"),
    ("bin in 20 Minuten zurück", "away@+20"),
    ("bin gleich zurück", "away"),
    ("gleich wieder da", "away"),
    ("weg bis 14 Uhr wegen Kita-Abholung", "away@14:00 reason=Kita-Abholung"),
    ("weg bis 14 Uhr wegen Kita-Abholung!", "away@14:00 reason=Kita-Abholung"),
    ("away", "away"),
    ("away until 2 pm", "away@14:00"),
    ("afk 20 min", "away@+20"),
    ("brb", "away"),
    ("back in 20 min", "away@+20"),
    ("away until 3pm (dentist)", "away@15:00 reason=dentist"),
    ("stepping out until 11:30", "away@+90"),
    # back
    ("bin zurück", "back"),
    ("zurück", "back"),
    ("wieder da", "back"),
    ("bin wieder da", "back"),
    ("Bin wieder am Platz", "back"),
    ("back", "back"),
    ("I'm back", "back"),
    # end of the day
    ("Feierabend", "off"),
    ("feierabend!", "off"),
    ("Schönen Feierabend", "off"),
    ("ich mache Feierabend", "off"),
    ("ich mach Schluss", "off"),
    ("Schluss für heute", "off"),
    ("Tschüss", "off"),
    ("tschüss, bis morgen", "off"),
    ("bis morgen", "off"),
    ("done for today", "off"),
    ("signing off", "off"),
    ("logging off", "off"),
    ("end of day", "off"),
    ("bye", "off"),
    ("see you tomorrow", "off"),
    ("Feierabend, bis morgen!", "off"),
    # leave
    ("Urlaub vom 14. bis 18.12., Vertretung Ben", "leave 14.12.-18.12. by=Ben"),
    ("Urlaub 14.12.-18.12.", "leave 14.12.-18.12."),
    ("Urlaub vom 14.12. bis 18.12.", "leave 14.12.-18.12."),
    ("Urlaub 14.12.-18.12. Vertretung @ben:example.org", "leave 14.12.-18.12. by=@ben:example.org"),
    ("nächste Woche Urlaub", "leave 07.12.-11.12."),
    ("Urlaub nächste Woche", "leave 07.12.-11.12."),
    ("ich bin nächste Woche im Urlaub", "leave 07.12.-11.12."),
    ("übernächste Woche Urlaub", "leave 14.12.-18.12."),
    ("morgen Urlaub", "leave 02.12.-02.12."),
    ("morgen frei", "leave 02.12.-02.12."),
    ("Urlaub am 24.12.", "leave 24.12.-24.12."),
    ("Urlaub vom 14. bis 18. Dezember", "leave 14.12.-18.12."),
    ("Urlaub 21.12. bis 8.1., Vertretung: Ben Müller", "leave 21.12.-08.01. by=Ben Müller"),
    ("Urlaub bis 4.12.", "leave 01.12.-04.12."),
    ("vacation next week", "leave 07.12.-11.12."),
    ("vacation next week, cover Ben", "leave 07.12.-11.12. by=Ben"),
    ("on leave from 14 to 18 December", "leave 14.12.-18.12."),
    ("leave 14.12.-18.12. cover Ben", "leave 14.12.-18.12. by=Ben"),
    ("day off tomorrow", "leave 02.12.-02.12."),
    ("vacation December 14 to 18", "leave 14.12.-18.12."),
    ("Urlaub vom 18.12. bis 14.12.", "problem date_order"),
    ("Urlaub vom 28.11. bis 4.12.", "leave 28.11.-04.12."),
    ("gestern Urlaub", "problem leave_past"),
    # not understood: never a guess
    ("kannst du mir helfen?", "no"),
    ("Wie spät ist es?", "no"),
    ("Pause und Feierabend", "no"),
    ("Urlaub", "no"),
    ("moin, ich habe eine Frage zum Projekt", "no"),
    ("Danke!", "no"),
    ("!pause 30m", "no"),
    ("", "no"),
    ("x" * 300, "no"),
]


@pytest.mark.parametrize(("text", "expected"), PHRASES, ids=[p[0][:40] or "empty" for p in PHRASES])
def test_phrase(text: str, expected: str) -> None:
    assert summary(understand(text, NOW, TZ)) == expected


def test_the_table_has_a_hundred_phrasings() -> None:
    assert len(PHRASES) >= 100
    assert len({text for text, _ in PHRASES}) == len(PHRASES)


def test_not_understood_names_the_closest_kinds() -> None:
    reading = understand("Mittagspaus bis 1 uhr bitte danke sehr lieb", NOW, TZ)
    assert isinstance(reading, NotUnderstood) or summary(reading).startswith("break")
    far = understand("Urlaubsantrag Formular", NOW, TZ)
    assert isinstance(far, NotUnderstood)
    assert far.closest[0] == "leave"
    assert 1 <= len(far.closest) <= 3


@given(st.text(max_size=120))
def test_any_text_gets_a_reading_and_ends_lie_ahead(text: str) -> None:
    reading = understand(text, NOW, TZ)
    intents: tuple[Intent, ...] = ()
    if isinstance(reading, Understood):
        intents = (reading.intent,)
    elif isinstance(reading, Ambiguous):
        intents = reading.readings
        assert len(intents) >= 2
    elif isinstance(reading, NotUnderstood):
        assert set(reading.closest) <= set(KINDS)
    for intent in intents:
        if isinstance(intent, Break | Away) and intent.until is not None:
            assert NOW < intent.until <= NOW + timedelta(hours=16)
        if isinstance(intent, Leave):
            assert NOW.date() <= intent.first_day <= intent.last_day
            assert (intent.last_day - intent.first_day).days < 366


NONSENSE = st.lists(
    st.sampled_from(["Projekt", "Akte", "Formular", "Bürgeramt", "report", "ticket", "Frage"]),
    min_size=1,
    max_size=6,
).map(" ".join)


@given(NONSENSE)
def test_words_of_no_state_are_never_acted_on(text: str) -> None:
    assert isinstance(understand(text, NOW, TZ), NotUnderstood)


@given(st.sampled_from([p for p, e in PHRASES if e != "no"]), st.sampled_from(["", "!", ".", "  "]))
def test_punctuation_and_case_do_not_change_the_reading(text: str, tail: str) -> None:
    shouted = summary(understand(text.upper() + tail, NOW, TZ))
    assert shouted.casefold() == summary(understand(text, NOW, TZ)).casefold()


def test_leave_dates_are_read_in_the_persons_zone() -> None:
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # already 2 December in Berlin
    reading = understand("morgen Urlaub", late, TZ)
    assert isinstance(reading, Understood)
    assert isinstance(reading.intent, Leave)
    assert reading.intent.first_day == date(2026, 12, 3)
