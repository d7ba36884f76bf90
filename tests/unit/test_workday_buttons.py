"""The board's buttons as pure rules: which reaction means what, the words on the board,
the one-tap answers and typed answers to "Bis wann?"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.standup.occurrence import NOTHING_NEW, is_nothing_new
from homeoffice_bot.workday.buttons import (
    BOARD_BUTTONS,
    OPEN_KEY,
    Choice,
    choice_for,
    choices_text,
    until_button,
    until_from_button,
    until_from_text,
)
from homeoffice_bot.workday.states import step_away
from homeoffice_bot.workday.status_json import status_from_json, status_json

NOW = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
LOCALES = Path(__file__).resolve().parents[2] / "homeoffice_bot" / "workday" / "locales"


@pytest.mark.parametrize(
    ("key", "choice"),
    [("🟢", Choice.START), ("☕", Choice.BREAK), ("☕\ufe0f", Choice.BREAK),
     ("🚶", Choice.AWAY), ("🌙", Choice.OFF), ("👍", None), ("1️⃣", None)],
)  # fmt: skip
def test_each_board_reaction_maps_to_one_choice(key: str, choice: Choice | None) -> None:
    assert choice_for(key) is choice


def test_the_board_has_one_button_per_choice() -> None:
    assert [choice for _, choice in BOARD_BUTTONS] == list(Choice)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_board_says_in_words_what_each_reaction_means(lang: str) -> None:
    text = choices_text(Catalogue.from_folder(LOCALES).translator(lang))
    assert text[0].isalpha()  # text before emoji
    for key, _ in BOARD_BUTTONS:
        assert key in text
    if lang == "de":
        assert "Dienstbeginn 🟢" in text
        assert "Feierabend 🌙" in text


def test_one_tap_answers_count_from_the_start_of_the_break() -> None:
    start = NOW
    button = until_button("1️⃣")
    assert button is not None
    assert until_from_button(button, start, NOW + timedelta(minutes=2)).until == NOW + timedelta(
        minutes=15
    )
    late = until_from_button(button, start, NOW + timedelta(minutes=20))
    assert late.until == NOW + timedelta(minutes=35)  # past already: from now
    three = until_button("3️⃣")
    assert three is not None
    assert until_from_button(three, start, NOW).until == NOW + timedelta(hours=1)
    open_button = until_button(OPEN_KEY)
    assert open_button is not None
    assert until_from_button(open_button, start, NOW).until is None
    assert until_button("🟢") is None


@pytest.mark.parametrize(
    ("text", "until"),
    [("bis 13 Uhr", datetime(2024, 3, 12, 12, 0, tzinfo=UTC)),
     ("45 min", NOW + timedelta(minutes=45)),
     ("1h30", NOW + timedelta(minutes=90)),
     ("offen lassen", None), ("Offen.", None), ("open", None)],
)  # fmt: skip
def test_typed_answers_to_until_when(text: str, until: datetime | None) -> None:
    assert until_from_text(text, NOW, "Europe/Berlin").until == until


@pytest.mark.parametrize("text", ["Kaffee holen", "bis 8 Uhr", "25:99"])
def test_unclear_or_past_times_are_refused(text: str) -> None:
    with pytest.raises(ParseError):
        until_from_text(text, NOW, "Europe/Berlin")


def test_the_kickoff_button_is_the_thumbs_up_in_any_skin_tone() -> None:
    assert is_nothing_new(NOTHING_NEW)
    assert is_nothing_new("👍🏽")
    assert is_nothing_new("👍\ufe0f")
    assert not is_nothing_new("✅")


def test_the_status_before_a_tap_is_kept_whole() -> None:
    user = UserID("@anna:example.org")
    before = step_away(user, NOW, NOW + timedelta(hours=1), "Arzttermin", False)
    assert status_from_json(user, status_json(before)) == before
    assert status_from_json(user, status_json(None)) is None
