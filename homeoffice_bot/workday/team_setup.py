"""The workday's part of the guided set-up (``homeoffice_bot.workday.api.TeamSetup``): a
room's holiday region, and its board posted at once instead of at the first ``!moin``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeoffice_bot.kernel.holiday_regions import normalise_region
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.workday.api import RegionDefault

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday


class TeamSetupService:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd

    async def holiday_region(self, room_id: RoomID) -> RegionDefault:
        room = await self.wd.store.room(room_id)
        if room.region:
            return RegionDefault(room.region, "room")
        return RegionDefault(self.wd.directory.default_region, "bot")

    async def set_holiday_region(self, room_id: RoomID, region: str) -> str:
        code = normalise_region(region)
        await self.wd.store.set_room(room_id, "region", code)
        await self.wd.jobs.reschedule_room(room_id)
        return code

    async def post_board(self, room_id: RoomID) -> bool:
        await self.wd.board.ensure(room_id)
        return (await self.wd.board.store.board(room_id)).event_id is not None
