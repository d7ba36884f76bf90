"""The workday's SQL for team rooms: whether a room has the workday on, and its board
message (which event, what it said, whether it is pinned, the day it belongs to, whether
it carries its buttons)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.kernel.storage import Database, Row


@dataclass(frozen=True)
class BoardRow:
    room_id: RoomID
    workday: bool | None = None
    """The moderators' setting; None: decided by the members (``team_rooms.automatic``)."""
    event_id: EventID | None = None
    text: str | None = None
    pinned: bool = False
    day: date | None = None
    """The room's local day the board message was posted for."""
    buttons: EventID | None = None
    """The board message that has the bot's reactions (the buttons) already."""


def _row(row: Row) -> BoardRow:
    setting = row["workday"]
    return BoardRow(
        RoomID(row["room_id"]),
        None if setting is None else bool(setting),
        EventID(row["board_event_id"]) if row["board_event_id"] else None,
        row["board_text"],
        bool(row["board_pinned"]),
        date.fromisoformat(row["board_day"]) if row["board_day"] else None,
        EventID(row["board_buttons"]) if row["board_buttons"] else None,
    )


_COLUMNS = "room_id, workday, board_event_id, board_text, board_pinned, board_day, board_buttons"


class BoardStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def board(self, room_id: RoomID) -> BoardRow:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM workday_rooms WHERE room_id = ?", (room_id,)
        )
        return _row(row) if row else BoardRow(room_id)

    async def boards(self) -> list[BoardRow]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM workday_rooms WHERE board_event_id IS NOT NULL"
            " ORDER BY room_id"
        )
        return [_row(row) for row in rows]

    async def set_board(
        self, room_id: RoomID, event_id: EventID, text: str, pinned: bool, day: date | None
    ) -> None:
        await self.db.execute(
            "INSERT INTO workday_rooms(room_id, board_event_id, board_text, board_pinned,"
            " board_day) VALUES (?, ?, ?, ?, ?) ON CONFLICT(room_id) DO UPDATE SET"
            " board_event_id = excluded.board_event_id, board_text = excluded.board_text,"
            " board_pinned = excluded.board_pinned, board_day = excluded.board_day",
            (room_id, event_id, text, int(pinned), day.isoformat() if day else None),
        )

    async def set_buttons(self, room_id: RoomID, event_id: EventID) -> None:
        await self.db.execute(
            "UPDATE workday_rooms SET board_buttons = ? WHERE room_id = ?", (event_id, room_id)
        )

    async def clear_board(self, room_id: RoomID) -> None:
        await self.db.execute(
            "UPDATE workday_rooms SET board_event_id = NULL, board_text = NULL,"
            " board_pinned = 0, board_day = NULL, board_buttons = NULL WHERE room_id = ?",
            (room_id,),
        )

    async def set_workday(self, room_id: RoomID, value: bool | None) -> None:
        await self.db.execute(
            "INSERT INTO workday_rooms(room_id, workday) VALUES (?, ?)"
            " ON CONFLICT(room_id) DO UPDATE SET workday = excluded.workday",
            (room_id, None if value is None else int(value)),
        )
