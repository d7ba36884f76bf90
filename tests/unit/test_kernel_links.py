"""matrix.to links with the servers to route through (kernel/links.py)."""

from __future__ import annotations

from pathlib import Path

import nio

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.links import (
    code_point,
    event_link,
    first_invisible,
    is_invisible,
    is_ip_literal,
    server_of,
    strip_invisible,
    via_servers,
)
from homeoffice_bot.kernel.matrix.rooms import RoomsMixin

ROOM = RoomID("!team:stadt.example")
EVENT = EventID("$ev/ent+1")


def members(**levels: int) -> dict[UserID, int]:
    """``anna_kdn=100`` is @anna:kdn.example with power level 100."""
    return {UserID(f"@{n.split('_')[0]}:{n.split('_')[1]}.example"): lv for n, lv in levels.items()}


def test_link_encodes_the_ids_and_names_the_servers() -> None:
    assert event_link(ROOM, EVENT) == "https://matrix.to/#/%21team%3Astadt.example/%24ev%2Fent%2B1"
    assert event_link(ROOM, EVENT, ["a.example", "b.example:8448"]) == (
        "https://matrix.to/#/%21team%3Astadt.example/%24ev%2Fent%2B1"
        "?via=a.example&via=b.example%3A8448"
    )


def test_the_highest_power_level_first_then_the_most_members() -> None:
    team = members(lead_kdn=100, anna_stadt=0, ben_stadt=0, carl_stadt=0, dora_land=0, eve_land=0,
                   fritz_dorf=0)  # fmt: skip
    assert via_servers(ROOM, team) == ["kdn.example", "stadt.example", "land.example"]


def test_below_power_level_50_popularity_decides() -> None:
    team = members(lead_kdn=49, anna_stadt=0, ben_stadt=0, dora_land=0)
    assert via_servers(ROOM, team) == ["stadt.example", "kdn.example", "land.example"]


def test_the_room_servers_fills_a_free_place_and_ip_literals_are_left_out() -> None:
    team = {UserID("@anna:land.example"): 100, UserID("@ben:192.168.0.7:8448"): 100,
            UserID("@carl:[::1]"): 0}  # fmt: skip
    assert via_servers(ROOM, team) == ["land.example", "stadt.example"]
    assert via_servers(RoomID("!v12roomwithoutserver"), {}) == []


def test_server_names() -> None:
    assert server_of("@anna:stadt.example:8448") == "stadt.example:8448"
    assert server_of("!opaque") is None
    assert all(map(is_ip_literal, ["127.0.0.1", "127.0.0.1:8008", "[::1]:8448", "[::1]"]))
    assert not any(map(is_ip_literal, ["localhost:8008", "stadt.example", "1.example"]))


def test_room_state_links_through_the_servers_of_joined_members(tmp_path: Path) -> None:
    client = nio.AsyncClient("http://localhost:1", "@bot:stadt.example")
    account = RoomsMixin(client, data_dir=tmp_path)
    room = nio.MatrixRoom(ROOM, "@bot:stadt.example")
    room.add_member("@bot:stadt.example", None, None)
    room.add_member("@lead:kdn.example", None, None)
    room.add_member("@guest:gast.example", None, None, invited=True)  # not joined yet
    room.power_levels.users["@lead:kdn.example"] = 100
    client.rooms[ROOM] = room
    assert account.event_link(ROOM, EVENT) == event_link(
        ROOM, EVENT, ["kdn.example", "stadt.example"]
    )


def test_characters_that_show_as_nothing_are_invisible() -> None:
    hidden = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a\u202e\u2066\u2069\u3164"
    assert all(map(is_invisible, hidden))
    assert not any(map(is_invisible, "aä-/ .:\u00a0"))
    assert first_invisible("https://exa\u200bmple.org/") == 11
    assert first_invisible("https://example.org/") is None
    assert code_point("\u200b") == "U+200B"
    assert strip_invisible(" \u200bhttps://x.example/\u200e\n") == "https://x.example/"
    assert strip_invisible("\u200b") == ""
