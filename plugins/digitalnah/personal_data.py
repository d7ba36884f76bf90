"""#DigitalNah's part of a person's export and deletion (``kernel.personal_data``).

Exported: the offerings the person submitted (every field and state), the audit entries
of what they did (on any offering) and of what happened to their offerings, and a running
assistant conversation.

Deleted: offerings that were never published (drafts, pending, changes requested,
rejected, withdrawn) with their audit trail, and the assistant conversation. Offerings
that are or were published (approved, ended) describe a public service of the
administration, not the person: they stay on the page and in the feeds but lose the link
to the submitter (``submitter`` becomes empty). In every remaining audit entry the person
as actor becomes empty too; the decision itself stays, because moderators answer for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from digitalnah.model import OfferingState
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.personal_data import Rows, catalogue_titles

if TYPE_CHECKING:
    from digitalnah.service import DigitalNah

PUBLISHED = (OfferingState.APPROVED.value, OfferingState.ENDED.value)
"""States whose offerings stay (without the submitter) when the submitter deletes their data."""
_KEPT = ", ".join(f"'{state}'" for state in PUBLISHED)

EXPORT_QUERIES: dict[str, str] = {
    "offerings": "SELECT submitter AS user_id, * FROM digitalnah_offerings"
    " WHERE submitter = ?1 ORDER BY id",
    "your_actions": "SELECT actor AS user_id, offering_id, action, from_state, to_state, at,"
    " reason FROM digitalnah_audit WHERE actor = ?1 ORDER BY id",
    "history_of_your_offerings": "SELECT o.submitter AS user_id, a.offering_id, a.action,"
    " a.from_state, a.to_state, a.at, a.reason FROM digitalnah_audit a"
    " JOIN digitalnah_offerings o ON o.id = a.offering_id"
    " WHERE o.submitter = ?1 AND a.actor <> ?1 ORDER BY a.id",
    "assistant": "SELECT user_id, dm_room_id, origin_room_id, state, updated_at"
    " FROM digitalnah_assistant WHERE user_id = ?1",
}
SECTIONS = tuple(EXPORT_QUERIES)
TITLES = "digitalnah.personal_data.title"
"""Catalogue keys of the file's headings: ``<TITLES>.component`` and one per section."""
DELETE_STATEMENTS = (
    f"DELETE FROM digitalnah_offerings WHERE submitter = ?1 AND state NOT IN ({_KEPT})",
    "UPDATE digitalnah_offerings SET submitter = '' WHERE submitter = ?1",
    "UPDATE digitalnah_audit SET actor = '' WHERE actor = ?1",
    "DELETE FROM digitalnah_assistant WHERE user_id = ?1",
)


class DigitalNahPersonalData:
    def __init__(self, dn: DigitalNah) -> None:
        self.dn = dn

    async def export_person(self, user: UserID) -> Mapping[str, Rows]:
        out: dict[str, list[dict[str, Any]]] = {}
        for section, sql in EXPORT_QUERIES.items():
            out[section] = [dict(row) for row in await self.dn.ctx.db.fetchall(sql, (user,))]
        for row in out["offerings"]:
            row.pop("submitter", None)  # the same as user_id
        return out

    async def forget_person(self, user: UserID) -> int:
        changed = 0
        async with self.dn.ctx.db.transaction() as tx:
            for sql in DELETE_STATEMENTS:
                cursor = await tx.execute(sql, (user,))
                changed += max(cursor.rowcount, 0)
                await cursor.close()
        if changed:
            self.dn.publisher.changed()
        return changed

    def what_stays(self, lang: str) -> Sequence[str]:
        return [self.dn.ctx.translator(lang)("digitalnah.personal_data.stays")]

    def titles(self, lang: str) -> Mapping[str, str]:
        return catalogue_titles(self.dn.ctx.catalogue, lang, TITLES, SECTIONS)
