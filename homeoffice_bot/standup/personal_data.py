"""The stand-up's part of a person's export and deletion (``kernel.personal_data``).

Exported: the person's answers and live notes, absences reported for them or by them,
direct-chat prompts, the rounds they were asked in or absent from, their place in the live
speaking order, the actions they own or ticked off, the stand-ups they set up and those
whose settings name them. Deleted: answers, notes, prompts, absences, their place in the
speaking order and a turn of a round still running; they are taken off the actions they own
or ticked off; their user id is taken out of every round's participant, absent and speaking
lists and of every stand-up's settings; "set up by" becomes empty. Reports already posted
stay in the rooms' history (the homeserver's, not the bot's).

``purge`` is the daily retention: closed rounds older than ``retention_days`` go, with
their answers, notes and prompts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.personal_data import Rows, catalogue_titles
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.standup.records import iso

PEOPLE_LISTS = ("participants_add", "participants_remove", "observers")
"""The lists of user ids in a stand-up's settings."""
ROUND_LISTS = ("participants", "absent", "speaking_order")

EXPORT_QUERIES: dict[str, str] = {
    "answers": "SELECT a.user_id, s.name AS standup, s.room_id, o.day, a.question_index,"
    " a.text, a.server_ts AS answered_at, a.late FROM standup_answers a"
    " JOIN standup_occurrences o ON o.id = a.occurrence_id"
    " JOIN standups s ON s.id = o.standup_id WHERE a.user_id = ?1 ORDER BY a.server_ts",
    "live_notes": "SELECT n.user_id, s.name AS standup, s.room_id, o.day, n.text,"
    " n.server_ts AS posted_at FROM standup_notes n"
    " JOIN standup_occurrences o ON o.id = n.occurrence_id"
    " JOIN standups s ON s.id = o.standup_id WHERE n.user_id = ?1 ORDER BY n.server_ts",
    "absences": "SELECT user_id, room_id, first_day, last_day, set_by FROM standup_absences"
    " WHERE user_id = ?1 ORDER BY first_day",
    "absences_you_reported": "SELECT set_by AS user_id, room_id, user_id AS absent_person,"
    " first_day, last_day FROM standup_absences WHERE set_by = ?1 AND user_id <> ?1"
    " ORDER BY first_day",
    "direct_chat_prompts": "SELECT p.user_id, s.name AS standup, o.day FROM standup_dm_prompts p"
    " JOIN standup_occurrences o ON o.id = p.occurrence_id"
    " JOIN standups s ON s.id = o.standup_id WHERE p.user_id = ?1",
    "standups_you_set_up": "SELECT created_by AS user_id, room_id, name, created_at"
    " FROM standups WHERE created_by = ?1",
    "speaking_order": "SELECT r.user_id, s.name AS standup, s.room_id, r.opened, r.closed,"
    " r.last_opened FROM standup_rotation r JOIN standups s ON s.id = r.standup_id"
    " WHERE r.user_id = ?1",
    "actions": "SELECT s.name AS standup, s.room_id, o.day, a.text, a.owner, a.due,"
    " a.done_at, a.done_by FROM standup_actions a"
    " JOIN standup_occurrences o ON o.id = a.occurrence_id"
    " JOIN standups s ON s.id = a.standup_id WHERE a.owner = ?1 OR a.done_by = ?1"
    " ORDER BY o.day",
}
SECTIONS = (*EXPORT_QUERIES, "rounds_you_were_in", "settings_naming_you")
TITLES = "standup.personal_data.title"
"""Catalogue keys of the file's headings: ``<TITLES>.component`` and one per section."""
ROUNDS_QUERY = (
    "SELECT o.id, s.name, s.room_id, o.day, o.participants, o.absent, o.speaking_order"
    " FROM standup_occurrences o JOIN standups s ON s.id = o.standup_id"
    " WHERE o.participants LIKE ?1 OR o.absent LIKE ?1 OR o.speaking_order LIKE ?1"
    " OR o.config LIKE ?1 ORDER BY o.day"
)
DELETE_STATEMENTS = (
    "DELETE FROM standup_answers WHERE user_id = ?1",
    "DELETE FROM standup_notes WHERE user_id = ?1",
    "DELETE FROM standup_dm_prompts WHERE user_id = ?1",
    "DELETE FROM standup_absences WHERE user_id = ?1",
    "DELETE FROM standup_rotation WHERE user_id = ?1",
    "DELETE FROM standup_turns WHERE user_id = ?1",
    "UPDATE standup_actions SET owner = NULL WHERE owner = ?1",
    "UPDATE standup_actions SET done_by = NULL WHERE done_by = ?1",
    "UPDATE standup_absences SET set_by = '' WHERE set_by = ?1",
    "UPDATE standups SET created_by = '' WHERE created_by = ?1",
)


def _like(user: UserID) -> str:
    """A LIKE pattern for the user id as a JSON string (``%"@anna:x"%``). A "_" in the id
    matches any character: rows found are checked exactly before they are used."""
    return f"%{json.dumps(user)}%"


def without(user: str, text: str) -> str:
    """A JSON list without ``user``."""
    return json.dumps([item for item in json.loads(text) if item != user], ensure_ascii=False)


def config_without(user: str, text: str) -> str:
    """A stand-up's settings (JSON) with ``user`` taken out of its people lists."""
    data: dict[str, Any] = json.loads(text)
    for key in PEOPLE_LISTS:
        if key in data:
            data[key] = [item for item in data[key] if item != user]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


PURGE_STATEMENTS: dict[str, str] = {
    "rounds": "DELETE FROM standup_occurrences WHERE state = 'closed' AND kickoff_at < ?1",
    "absences": "DELETE FROM standup_absences WHERE last_day < ?1",  # a date, see purge()
}
"""Answers, live notes and direct-chat prompts go with their round (ON DELETE CASCADE)."""


async def purge(db: Database, cutoff: datetime) -> dict[str, int]:
    """Delete closed rounds that began before ``cutoff`` (UTC) and absences that ended
    before its day; the number deleted per kind (rounds with their answers counted)."""
    counts: dict[str, int] = {}
    bounds = {"rounds": iso(cutoff), "absences": cutoff.date().isoformat()}
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "SELECT COUNT(*) FROM standup_answers a JOIN standup_occurrences o"
            " ON o.id = a.occurrence_id WHERE o.state = 'closed' AND o.kickoff_at < ?",
            (bounds["rounds"],),
        )
        row = await cursor.fetchone()
        await cursor.close()
        counts["answers"] = int(row[0]) if row else 0
        for kind, sql in PURGE_STATEMENTS.items():
            cursor = await tx.execute(sql, (bounds[kind],))
            counts[kind] = max(cursor.rowcount, 0)
            await cursor.close()
    return counts


class StandupPersonalData:
    def __init__(self, db: Database, catalogue: Catalogue) -> None:
        self.db = db
        self.catalogue = catalogue

    async def export_person(self, user: UserID) -> Mapping[str, Rows]:
        out: dict[str, list[dict[str, Any]]] = {}
        for section, sql in EXPORT_QUERIES.items():
            out[section] = [dict(row) for row in await self.db.fetchall(sql, (user,))]
        rounds = []
        for row in await self.db.fetchall(ROUNDS_QUERY, (_like(user),)):
            asked = user in json.loads(row["participants"])
            absent = user in json.loads(row["absent"])
            if asked or absent:
                rounds.append(
                    {"user_id": user, "standup": row["name"], "room_id": row["room_id"],
                     "day": row["day"], "asked": asked, "absent": absent}
                )  # fmt: skip
        out["rounds_you_were_in"] = rounds
        named = await self.db.fetchall(
            "SELECT room_id, name, config FROM standups WHERE config LIKE ?", (_like(user),)
        )
        out["settings_naming_you"] = [
            {"user_id": user, "room_id": row["room_id"], "standup": row["name"],
             "as": [key for key in PEOPLE_LISTS if user in json.loads(row["config"]).get(key, [])]}
            for row in named
        ]  # fmt: skip
        return out

    async def forget_person(self, user: UserID) -> int:
        changed = 0
        pattern = _like(user)
        async with self.db.transaction() as tx:
            for sql in DELETE_STATEMENTS:
                cursor = await tx.execute(sql, (user,))
                changed += max(cursor.rowcount, 0)
                await cursor.close()
            cursor = await tx.execute(
                "SELECT id, participants, absent, speaking_order, config"
                " FROM standup_occurrences WHERE participants LIKE ?1 OR absent LIKE ?1"
                " OR speaking_order LIKE ?1 OR config LIKE ?1",
                (pattern,),
            )
            rounds = list(await cursor.fetchall())
            await cursor.close()
            for row in rounds:
                await tx.execute(
                    "UPDATE standup_occurrences SET participants = ?, absent = ?,"
                    " speaking_order = ?, config = ? WHERE id = ?",
                    (*(without(user, row[key]) for key in ROUND_LISTS),
                     config_without(user, row["config"]), row["id"]),
                )  # fmt: skip
            cursor = await tx.execute(
                "SELECT id, config FROM standups WHERE config LIKE ?", (pattern,)
            )
            standups = list(await cursor.fetchall())
            await cursor.close()
            for row in standups:
                await tx.execute(
                    "UPDATE standups SET config = ? WHERE id = ?",
                    (config_without(user, row["config"]), row["id"]),
                )
            changed += len(rounds) + len(standups)
        return changed

    def what_stays(self, lang: str) -> Sequence[str]:
        return [self.catalogue.translator(lang)("standup.personal_data.stays")]

    def titles(self, lang: str) -> Mapping[str, str]:
        return catalogue_titles(self.catalogue, lang, TITLES, SECTIONS)
