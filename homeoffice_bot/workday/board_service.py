"""The team board: one message per room, edited (m.replace) whenever it changes.

A room gets a board when someone there first uses a presence command. The board lists
the room's members who use the workday. It is edited only when what it says changes
(not for its "as of" time or a Matrix presence hint alone), and pinned when the bot may.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Set
from datetime import datetime
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.workday.board import BoardEntry, board_entry, render_board
from homeoffice_bot.workday.states import Presence

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday


def comparable(board_markdown: str) -> str:
    """The part of a board that matters for deciding to edit it (without the title)."""
    return board_markdown.split("\n", 1)[-1]


class BoardService:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd
        self._locks: defaultdict[RoomID, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.hints: dict[UserID, str] = {}
        """The last Matrix presence seen per person (a hint only; kept in memory)."""

    async def people(self, room_id: RoomID) -> list[UserID]:
        """Members of the room who use the workday (without the bot)."""
        matrix = self.wd.ctx.matrix
        members = [u for u in matrix.members(room_id) if u != matrix.user_id]
        return sorted(await self.wd.store.known(members))

    async def entry(
        self, room_id: RoomID, user: UserID, presence: Presence, *, hint: bool = True
    ) -> BoardEntry:
        matrix = self.wd.ctx.matrix
        stand_in = matrix.display_name(room_id, presence.stand_in) if presence.stand_in else None
        return board_entry(
            matrix.display_name(room_id, user),
            presence,
            stand_in,
            (self.hints.get(user) or matrix.presence(user)) if hint else None,
        )

    async def render(self, room_id: RoomID, now: datetime, *, hints: bool = True) -> str:
        tr = await self.wd.ctx.tr_for(room_id)
        tz = await self.wd.ctx.rooms.timezone(room_id)
        entries = []
        for user in await self.people(room_id):
            _, _, presence = await self.wd.directory.state(user, now)
            entries.append(await self.entry(room_id, user, presence, hint=hints))
        return render_board(entries, now, tz, tr)

    async def ensure(self, room_id: RoomID) -> None:
        """Post the room's board if it has none yet (else bring it up to date)."""
        await self.refresh(room_id, create=True)

    async def refresh(self, room_id: RoomID, *, create: bool = False) -> None:
        async with self._locks[room_id]:
            row = await self.wd.store.room(room_id)
            if row.board_event_id is None and not create:
                return
            now = self.wd.now()
            key = comparable(await self.render(room_id, now, hints=False))
            if row.board_event_id is not None and row.board_text == key and row.board_pinned:
                return
            outbox = self.wd.ctx.outbox
            markdown = await self.render(room_id, now)
            event_id, pinned = row.board_event_id, row.board_pinned
            if event_id is not None and row.board_text != key:
                try:
                    await outbox.edit(room_id, event_id, markdown)
                except MatrixError:
                    self.wd.log.warning(
                        "could not edit the board in %s; posting a new one", room_id
                    )
                    event_id, pinned = None, False
            if event_id is None:
                event_id = await outbox.send(room_id, markdown)
            if not pinned:
                try:
                    pinned = await outbox.pin(room_id, event_id)
                except MatrixError:
                    pinned = False
            await self.wd.store.set_board(room_id, event_id, key, pinned)

    async def refresh_for(self, user: UserID) -> None:
        """Update the boards of every room the person is in."""
        await self.refresh_people({user})

    async def refresh_people(self, users: Set[UserID]) -> None:
        """Update the boards of every room one of ``users`` is in (the rooms come from
        the room state the bot keeps; rooms without a board are skipped)."""
        matrix = self.wd.ctx.matrix
        for room_id in sorted(matrix.joined_rooms()):
            if not users.isdisjoint(matrix.members(room_id)):
                await self._safe_refresh(room_id)

    async def refresh_all(self) -> None:
        for row in await self.wd.store.board_rooms():
            await self._safe_refresh(row.room_id)

    async def _safe_refresh(self, room_id: RoomID) -> None:
        try:
            await self.refresh(room_id)
        except MatrixError:
            self.wd.log.exception("could not update the board in %s", room_id)
