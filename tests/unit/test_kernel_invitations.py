"""Which invitations the bot accepts."""

from __future__ import annotations

import pytest

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.invitations import Invitations


class NoRooms:
    def joined_rooms(self) -> list[RoomID]:
        return []

    async def join(self, room_id: RoomID) -> None:
        raise AssertionError("not called")

    async def leave(self, room_id: RoomID) -> None:
        raise AssertionError("not called")


def policy(inviters: list[str], servers: list[str]) -> Invitations:
    return Invitations(
        NoRooms(),
        own_server="city.example",
        admins=["@admin:elsewhere.example"],
        allowed_inviters=inviters,
        allowed_servers=servers,
    )


@pytest.mark.parametrize(
    ("inviters", "servers", "inviter", "allowed"),
    [
        ([], [], "@anna:city.example", True),  # no lists: the bot's own homeserver
        ([], [], "@eve:other.example", False),
        ([], [], "@admin:elsewhere.example", True),  # bot admins always
        (["@lead:city.example"], [], "@anna:city.example", False),  # a list replaces the default
        (["@lead:city.example"], [], "@lead:city.example", True),
        ([], ["partner.example"], "@ben:partner.example", True),
        ([], ["partner.example"], "@anna:city.example", False),
        ([], ["partner.example"], "@ben:partner.example:8448", False),
    ],
)
def test_who_may_invite(
    inviters: list[str], servers: list[str], inviter: str, allowed: bool
) -> None:
    assert policy(inviters, servers).allowed(UserID(inviter)) is allowed
