"""Room state rules that need no homeserver."""

from __future__ import annotations

from homeoffice_bot.kernel.matrix.rooms import only_other_member

BOT = "@bot:example.org"
ANNA = "@anna:example.org"
BEN = "@ben:example.org"


def test_a_room_of_the_bot_and_one_person_belongs_to_that_person() -> None:
    assert only_other_member([BOT, ANNA], BOT) == ANNA
    assert only_other_member([ANNA, BOT, ANNA], BOT) == ANNA  # the same member twice


def test_rooms_with_more_or_fewer_people_or_without_the_bot_belong_to_nobody() -> None:
    assert only_other_member([BOT, ANNA, BEN], BOT) is None
    assert only_other_member([BOT], BOT) is None
    assert only_other_member([ANNA, BEN], BOT) is None
    assert only_other_member([], BOT) is None
