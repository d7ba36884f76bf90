"""Who a stand-in typed in ``!urlaub … vertretung …`` is (workday/standin.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import homeoffice_bot.workday
from homeoffice_bot.kernel.errors import CommandError
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.people import either_or, members_named
from homeoffice_bot.workday.standin import resolve_stand_in

BOT = UserID("@homeoffice:stadt.example")
ANNA = UserID("@anna:stadt.example")
BEN = UserID("@ben:stadt.example")
BENS = UserID("@bschulz:kdn.example")
CARLA = UserID("@carla:stadt.example")
TEAM = {BOT: "Homeoffice-Bot", ANNA: "Anna", BEN: "Ben Müller", BENS: "Ben Schulz",
        CARLA: "Carla von Berg"}  # fmt: skip
CATALOGUE = Catalogue.from_folder(Path(homeoffice_bot.workday.__file__).parent / "locales")


def stand_in(typed: str, members: dict[UserID, str] = TEAM) -> UserID:
    return resolve_stand_in(typed, ANNA, BOT, members, or_word="oder")


def refusal(typed: str) -> str:
    with pytest.raises(CommandError) as caught:
        stand_in(typed)
    return CATALOGUE.translator("de")(caught.value.key, **caught.value.params)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("@carla:stadt.example", CARLA),
        ("carla:stadt.example", CARLA),
        ("@partner:land.example", UserID("@partner:land.example")),  # outside the room
        ("Carla von Berg", CARLA),
        ("carla", CARLA),
        ("@carla", CARLA),
        ("Ben Schulz", BENS),
        ("bschulz", BENS),
        ("Müller", BEN),
    ],
)
def test_a_stand_in_is_a_full_matrix_id_or_a_member_found_by_name(
    typed: str, expected: UserID
) -> None:
    assert stand_in(typed) == expected


def test_room_is_the_whole_room_not_a_person() -> None:
    assert refusal("@room") == (
        "„@room“ meint alle im Raum – eine Vertretung ist eine Person. "
        "Beispiel: `vertretung @ben:example.org`."
    )


def test_a_name_of_several_members_is_asked_about() -> None:
    assert refusal("Ben") == (
        "Wen meinst du mit „Ben“: Ben Müller (@ben:stadt.example) oder "
        "Ben Schulz (@bschulz:kdn.example)? Schreib bitte die volle Matrix-ID, "
        "z. B. `vertretung @ben:example.org`."
    )


def test_an_unknown_name_gets_an_example() -> None:
    assert refusal("Dora") == (
        "„Dora“ finde ich in deinem Team nicht. Nenne die Vertretung mit ihrem Namen im "
        "Teamraum oder mit ihrer vollen Matrix-ID, z. B. `vertretung @ben:example.org`."
    )
    assert "finde ich in deinem Team nicht" in refusal("@Ben:stadt.example")  # not an MXID


def test_neither_oneself_nor_the_bot() -> None:
    assert "nicht selbst vertreten" in refusal("Anna")
    assert "es muss eine Person sein" in refusal(BOT)
    assert "finde ich in deinem Team nicht" in refusal("Homeoffice-Bot")  # not a member


def test_members_named_and_either_or() -> None:
    assert members_named("  ben   müller ", TEAM) == [BEN]
    assert members_named("BEN", TEAM) == [BEN, BENS]
    assert members_named("@ben", TEAM) == [BEN]
    assert members_named("", TEAM) == []
    assert either_or(["A", "B", "C"], "oder") == "A, B oder C"
    assert either_or(["A"], "oder") == "A"
    assert either_or([], "or") == ""
