"""What the bot posts around a written stand-up: kickoff, reminder, DM questions, replies.

Each function returns a Markdown source for the kernel's ``render``. Only the reminder
mentions people (once, those who have not answered), through the kernel's mention tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import mention, people_list
from homeoffice_bot.standup.calendar import SkipReason
from homeoffice_bot.standup.config import AnswerChannel
from homeoffice_bot.standup.text import Translate, format_date, format_time


def _numbered(questions: Sequence[str]) -> list[str]:
    return [f"{n}\\. {escape_markdown(q)}" for n, q in enumerate(questions, 1)]


def render_kickoff(
    name: str,
    questions: Sequence[str],
    closes_at: datetime,
    tz: str,
    channel: AnswerChannel,
    tr: Translate,
    *,
    call_link: str | None = None,
    late_start: bool = False,
    mass_mention: bool = False,
) -> str:
    """The written kickoff: the questions and how to answer until when.

    ``call_link`` (from ``live.validate_call_link``) is added in mode "both";
    ``late_start`` says the kickoff comes late because the bot was down;
    ``mass_mention`` adds "@room" (the caller must also set ``m.mentions.room``).
    """
    lines = [tr("standup.kickoff.title", name=escape_markdown(name))]
    if late_start:
        lines.append(tr("standup.kickoff.late_start"))
    if mass_mention:
        lines.append("@room")
    if channel is AnswerChannel.DM:
        lines.append(tr("standup.kickoff.dm", time=format_time(closes_at, tz)))
        lines.extend(_numbered(questions))
    else:
        lines.extend(_numbered(questions))
        lines.append("")
        lines.append(tr("standup.kickoff.thread", time=format_time(closes_at, tz)))
    if call_link is not None:
        lines.append(tr("standup.live.call_link", url=call_link))
    return "\n".join(lines)


def render_reminder(
    name: str,
    user_ids: Sequence[str],
    closes_at: datetime,
    tz: str,
    tr: Translate,
    *,
    mass_mention: bool = False,
) -> str:
    """The one reminder, mentioning only those who have not answered yet (or "@room")."""
    who = "@room" if mass_mention else people_list((mention(u) for u in user_ids), tr)
    return tr(
        "standup.reminder.text",
        name=escape_markdown(name),
        who=who,
        time=format_time(closes_at, tz),
    )


def render_dm_question(
    name: str,
    index: int,
    questions: Sequence[str],
    closes_at: datetime,
    tz: str,
    tr: Translate,
) -> str:
    """A question in the DM channel; the first one introduces the stand-up."""
    question = tr(
        "standup.dm.question",
        number=index + 1,
        total=len(questions),
        question=escape_markdown(questions[index]),
    )
    if index == 0:
        intro = tr("standup.dm.intro", name=escape_markdown(name), time=format_time(closes_at, tz))
        return f"{intro}\n{question}"
    return question


def render_dm_done(name: str, tr: Translate) -> str:
    return tr("standup.dm.done", name=escape_markdown(name))


def render_answer_received(tr: Translate, *, late: bool) -> str:
    """A short acknowledgement (e.g. as a reaction key or reply) for an answer."""
    return tr("standup.answer.late") if late else tr("standup.answer.received")


def render_no_standup(
    day: date, reason: SkipReason, tr: Translate, holiday: str | None = None
) -> str:
    """ "Am Do, 04.06.2026 ist kein Stand-up: Feiertag (Fronleichnam)." """
    if reason is SkipReason.HOLIDAY and holiday is not None:
        why = tr("standup.skip_reason.holiday_named", holiday=escape_markdown(holiday))
    else:
        why = tr(f"standup.skip_reason.{reason.value}")
    return tr("standup.no_standup", date=format_date(day, tr), reason=why)
