"""The tandem (a week's pairing, a job swap): two people, a daily live briefing for a
fixed period, in one room (which may span two homeservers), and at its end a one-page
summary of the period's decisions and open actions for both.

A tandem is a live stand-up whose configuration names the pair and the last day
(``StandupConfig.pair``, ``last_day``); the run of show, rotation and minutes are the
live stand-up's. ``render_summary`` is pure; ``TandemSummary`` posts it once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import mention, people_list
from homeoffice_bot.kernel.i18n import plural
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.standup.minutes import Item, Kind, OpenAction, describe_action, items_of
from homeoffice_bot.standup.store import OccurrenceRecord, StandupRecord, StandupStore
from homeoffice_bot.standup.store_live import LiveStore
from homeoffice_bot.standup.text import Translate, format_short_date

log = logging.getLogger(__name__)

DEFAULT_TANDEM_NAME = "tandem"


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date
    rounds: int
    decisions: tuple[tuple[date, Item], ...]
    open_actions: tuple[OpenAction, ...]
    done: int


def _counts(period: Period, tr: Translate) -> list[str]:
    def counted(key: str, count: int) -> str:
        return plural(tr, f"standup.tandem.{key}", count)

    return [
        counted("rounds", period.rounds),
        counted("decisions", len(period.decisions)),
        counted("open", len(period.open_actions)),
        counted("done", period.done),
    ]


def render_summary(
    name: str, pair: Sequence[str], period: Period, names: Mapping[str, str], tr: Translate
) -> str:
    """The one page: who, when, how many rounds, the decisions by day, the open actions."""
    esc = escape_markdown
    span = tr("standup.format.range", start=format_short_date(period.first, tr),
              end=format_short_date(period.last, tr))  # fmt: skip
    lines = [
        tr("standup.tandem.summary_title", name=esc(name), span=span),
        tr("standup.tandem.summary_who", names=people_list([mention(u) for u in pair], tr)),
        tr("standup.tandem.summary_counts", parts=", ".join(_counts(period, tr))),
        "",
    ]
    lines.append(tr("standup.minutes.decisions"))
    if period.decisions:
        for day, item in period.decisions:
            lines.append(f"- {format_short_date(day, tr)}: {esc(item.text)}")
    else:
        lines.append(tr("standup.tandem.none"))
    lines.extend(["", tr("standup.tandem.open_title")])
    if period.open_actions:
        for action in period.open_actions:
            owner = names.get(action.owner, action.owner) if action.owner else None
            lines.append(f"- {describe_action(action.text, owner, action.due, tr, esc)}")
    else:
        lines.append(tr("standup.tandem.none"))
    return "\n".join(lines)


class TandemSummary:
    def __init__(self, ctx: PluginContext, store: StandupStore, live: LiveStore) -> None:
        self.ctx = ctx
        self.store = store
        self.live = live

    async def period(self, record: StandupRecord) -> Period | None:
        config = record.config
        if config.last_day is None:
            return None
        occurrences = await self.store.occurrences_between(record.id, date.min, config.last_day)
        if not occurrences:
            return None
        decisions: list[tuple[date, Item]] = []
        for occurrence in occurrences:
            for note in await self.store.notes(occurrence.id):
                found, _ = items_of(
                    note.text, author=note.user_id, event_id=note.event_id,
                    posted_at=note.server_ts, today=occurrence.day,
                )  # fmt: skip
                decisions += [(occurrence.day, i) for i in found if i.kind is Kind.DECISION]
        first, last = occurrences[0].day, max(occurrences[-1].day, config.last_day)
        actions = await self.live.actions_between(record.id, first, last)
        return Period(
            first, last, len(occurrences), tuple(decisions),
            tuple(a for a, done in actions if not done), sum(1 for _, done in actions if done),
        )  # fmt: skip

    async def after_close(self, occurrence: OccurrenceRecord) -> None:
        """The round of the last day (or a later one) has closed: the summary follows."""
        last_day = occurrence.config.last_day
        if last_day is None or occurrence.day < last_day:
            return
        record = await self.store.standup(occurrence.standup_id)
        if record is not None:
            await self.post(record)

    async def post(self, record: StandupRecord) -> None:
        """Post the summary in the tandem's room, mentioning both, once."""
        config = record.config
        if not config.pair or config.last_day is None:
            return
        if not await self.ctx.scheduler.claim(f"standup:{record.id}:tandem-summary"):
            return
        period = await self.period(record)
        if period is None:
            return
        room = RoomID(config.room_id)
        tr = await self.ctx.tr_for(room)
        pair = sorted(config.pair)
        users = [UserID(u) for u in [*pair, *(a.owner for a in period.open_actions if a.owner)]]
        names = self.ctx.matrix.names_for(room, users)
        text = render_summary(config.name, pair, period, names, tr)
        try:
            await self.ctx.outbox.send(room, text, alert=True)
        except MatrixError:
            log.exception("tandem summary could not be posted in %s", room)
