"""The kernel's one rule: a resource's home room decides, never the room typed in."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeoffice_bot.kernel.access import Access, nobody_but_admins
from homeoffice_bot.kernel.command_model import Permission
from homeoffice_bot.kernel.ids import RoomID, UserID

A, B, C, DM, ADMINS = (RoomID(f"!{n}:example.org") for n in ("a", "b", "c", "dm", "admins"))
ANNA, BEN, CLEO, ADA = (UserID(f"@{n}:example.org") for n in ("anna", "ben", "cleo", "ada"))


@dataclass
class Rooms:
    levels: dict[tuple[RoomID, UserID], int] = field(default_factory=dict)
    member_lists: dict[RoomID, list[UserID]] = field(default_factory=dict)
    direct: set[RoomID] = field(default_factory=set)

    def power_level(self, room_id: RoomID, user_id: UserID) -> int:
        return self.levels.get((room_id, user_id), 0)

    def is_direct(self, room_id: RoomID) -> bool:
        return room_id in self.direct

    def joined_rooms(self) -> list[RoomID]:
        return list(self.member_lists)

    def members(self, room_id: RoomID) -> list[UserID]:
        return self.member_lists.get(room_id, [])


def rooms() -> Rooms:
    return Rooms(
        levels={(A, ANNA): 50, (B, BEN): 100, (C, CLEO): 1_000_000, (DM, BEN): 100},
        member_lists={A: [ANNA, BEN], B: [BEN], C: [CLEO], DM: [BEN], ADMINS: [ANNA]},
        direct={DM},
    )


def access(state: Rooms) -> Access:
    return Access(state, admins=[ADA], moderator_level=50, admin_room=str(ADMINS))


def test_the_home_room_decides_and_creating_a_room_moderates_only_that_room() -> None:
    rule = access(rooms())
    assert rule.moderates(ANNA, A)
    assert not rule.moderates(BEN, A)  # a moderator of B, a plain member of A
    assert rule.moderates(BEN, B)
    assert rule.moderates(CLEO, C)  # the creator of C
    assert not rule.moderates(CLEO, A)
    assert rule.permission(BEN, A) is Permission.MEMBER


def test_power_in_a_direct_chat_counts_for_that_chat_only() -> None:
    rule = access(rooms())
    assert rule.moderates(BEN, DM)  # the chat's own settings are his
    assert not rule.moderates(BEN, DM, beyond_room=True)  # e.g. an offering typed there
    assert rule.moderates(BEN, B, beyond_room=True)


def test_without_a_home_only_bot_admins_moderate() -> None:
    rule = access(rooms())
    assert not rule.moderates(BEN, None)
    assert rule.moderates(ADA, None)


def test_bot_admins_everywhere_and_the_admin_room_only_for_its_own() -> None:
    rule = access(rooms())
    assert rule.permission(ADA, A) is Permission.BOT_ADMIN
    assert rule.permission(ANNA, ADMINS) is Permission.BOT_ADMIN
    assert rule.permission(BEN, ADMINS) is Permission.MEMBER  # not in the admin room
    assert rule.acting_in(ANNA, ADMINS) is Permission.BOT_ADMIN
    assert rule.acting_in(ANNA, A) is Permission.MODERATOR
    assert rule.acting_in(BEN, A) is Permission.MEMBER
    assert rule.permission(ANNA, B) is Permission.MEMBER
    assert rule.is_bot_admin(ADA)
    assert not rule.is_bot_admin(ANNA)


def test_people_share_a_team_room_but_never_through_a_direct_chat() -> None:
    state = rooms()
    state.member_lists[DM] = [BEN, CLEO]
    rule = access(state)
    assert rule.shares_team_room(ANNA, BEN)
    assert not rule.shares_team_room(CLEO, BEN)
    assert rule.shares_team_room(CLEO, CLEO)
    assert not rule.shares_team_room(ANNA, BEN, rooms=[B, C])
    assert rule.team_rooms(BEN) == sorted([A, B])
    assert rule.team_rooms(BEN, enabled=lambda room: room == B) == [B]


def test_a_bare_context_knows_only_its_admins() -> None:
    rule = nobody_but_admins([str(ADA)])
    assert rule.moderates(ADA, A)
    assert not rule.moderates(ANNA, A)
