"""The team board: one message per room and day, showing the present, not a history.

A room gets a board when someone there first uses a presence command, if the room has the
workday on (``team_rooms``); a room with it off has none, and turning it off takes the board
down. The board lists the room's members who use the workday, in alphabetical order. During
a day it is edited when what it says changes (not for its "as of" time alone); the first
change on a new day posts a fresh message instead, and yesterday's is redacted (where the
bot may) and unpinned, so that a board's edit history never reaches past its own day. It
is pinned when the bot may. Each board message carries the bot's reactions as buttons
(``buttons``, ``taps``), put there once.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Set
from datetime import datetime
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.delivery import acting_for
from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.events import Membership
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.workday.board import BoardEntry, board_entry, render_board
from homeoffice_bot.workday.buttons import BOARD_BUTTONS
from homeoffice_bot.workday.states import Presence
from homeoffice_bot.workday.store_board import BoardRow, BoardStore
from homeoffice_bot.workday.team_rooms import TeamRooms

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday


def comparable(board_markdown: str) -> str:
    """The part of a board that matters for deciding to edit it (without the title)."""
    return board_markdown.split("\n", 1)[-1]


class BoardService:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd
        self.store = BoardStore(wd.ctx.db)
        self.teams = TeamRooms(wd, self.store)
        self._locks: defaultdict[RoomID, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def people(self, room_id: RoomID) -> list[UserID]:
        """Members of the room who use the workday (without the bot); nobody in a room
        with the workday off."""
        if not await self.teams.enabled(room_id):
            return []
        matrix = self.wd.ctx.matrix
        members = [u for u in matrix.members(room_id) if u != matrix.user_id]
        return sorted(await self.wd.store.known(members))

    async def entry(self, room_id: RoomID, user: UserID, presence: Presence) -> BoardEntry:
        matrix = self.wd.ctx.matrix
        stand_in = matrix.display_name(room_id, presence.stand_in) if presence.stand_in else None
        return board_entry(matrix.display_name(room_id, user), presence, stand_in, user)

    async def render(self, room_id: RoomID, now: datetime) -> str:
        tr = await self.wd.ctx.tr_for(room_id)
        tz = await self.wd.ctx.rooms.timezone(room_id)
        entries = []
        for user in await self.people(room_id):
            _, _, presence = await self.wd.directory.state(user, now)
            entries.append(await self.entry(room_id, user, presence))
        return render_board(entries, now, tz, tr)

    async def ensure(self, room_id: RoomID) -> None:
        """Post the room's board if it has none yet (else bring it up to date)."""
        await self.refresh(room_id, create=True)

    async def refresh(self, room_id: RoomID, *, create: bool = False) -> None:
        async with self._locks[room_id]:
            row = await self.store.board(room_id)
            if not await self.teams.enabled(room_id):
                if row.event_id is not None:
                    await self._take_down(row)
                return
            if row.event_id is None and not create:
                return
            await self._update(row)
            row = await self.store.board(room_id)
            if row.event_id is not None and row.buttons != row.event_id:
                await self._put_buttons(room_id, row.event_id)

    async def _put_buttons(self, room_id: RoomID, event_id: EventID) -> None:
        """The bot's reactions under a board message, once: their transaction ids come
        from the board's event id, so putting them again after a restart cut this short
        is deduplicated by the outbox (``outbox_sent``) and by the homeserver (the same
        ``txnId`` from the same device answers with the first event)."""
        with acting_for(f"workday-board-buttons:{event_id}"):
            for key, _ in BOARD_BUTTONS:
                try:
                    await self.wd.ctx.outbox.react(room_id, event_id, key)
                except MatrixError:  # e.g. reactions need a power level here
                    self.wd.log.warning("could not put the board's buttons in %s", room_id)
                    break
        await self.store.set_buttons(room_id, event_id)

    async def _update(self, row: BoardRow) -> None:
        room_id, outbox = row.room_id, self.wd.ctx.outbox
        now = self.wd.now()
        today = local_date(now, await self.wd.ctx.rooms.timezone(room_id))
        markdown = await self.render(room_id, now)
        key = comparable(markdown)
        if row.event_id is not None and row.text == key and row.pinned:
            return
        event_id, pinned, day = row.event_id, row.pinned, row.day
        if event_id is not None and row.text != key:
            if day == today:
                try:
                    await outbox.edit(room_id, event_id, markdown)
                except MatrixError:
                    self.wd.log.warning("could not edit the board in %s; posting anew", room_id)
                    event_id = None
            else:
                event_id = None  # a new day: a fresh message, yesterday's goes
        if event_id is None:
            event_id, pinned, day = await outbox.send(room_id, markdown), False, today
        old = row.event_id if row.event_id != event_id else None
        if not pinned:
            try:
                pinned = await outbox.pin(room_id, event_id, replacing=old)
            except MatrixError:
                pinned = False
        await self.store.set_board(room_id, event_id, key, pinned, day)
        if old is not None:
            await self._redact(room_id, old)

    async def _take_down(self, row: BoardRow) -> None:
        """The room has the workday off now: its board goes."""
        assert row.event_id is not None
        await self.store.clear_board(row.room_id)
        if row.pinned:
            try:
                await self.wd.ctx.outbox.unpin(row.room_id, row.event_id)
            except MatrixError:
                self.wd.log.warning("could not unpin the board in %s", row.room_id)
        await self._redact(row.room_id, row.event_id)

    async def _redact(self, room_id: RoomID, event_id: EventID) -> None:
        try:
            await self.wd.ctx.outbox.redact(room_id, event_id)
        except MatrixError:
            self.wd.log.warning("could not redact an old board in %s", room_id)

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
        for row in await self.store.boards():
            await self._safe_refresh(row.room_id)

    async def on_membership(self, event: Membership) -> None:
        """Someone was invited, joined or left: the board follows (and goes, when the room's
        workday follows its members and someone from another server is invited or joins)."""
        changed = event.membership != event.prev_membership
        if changed and event.membership in ("invite", "join", "leave", "ban"):
            await self._safe_refresh(event.room_id)

    async def _safe_refresh(self, room_id: RoomID) -> None:
        try:
            await self.refresh(room_id)
        except MatrixError:
            self.wd.log.exception("could not update the board in %s", room_id)
