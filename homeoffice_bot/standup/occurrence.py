"""One occurrence, from its stored rows to what the pure renderers take. Pure functions.

who_is_asked(config, members, bots)            -> participants (sorted)
not_answered(occurrence, answers)              -> who still gets the reminder
person_answers(occurrence, answers, names)     -> one PersonAnswer per person
build_report(occurrence, answers, notes, names) -> ReportData
kickoff_markdown(occurrence, tr, names, open)  -> the kickoff message
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import mention, people_list
from homeoffice_bot.standup.answers import answered_at, collect_answer, is_late
from homeoffice_bot.standup.config import AnswerChannel, StandupConfig, StandupMode
from homeoffice_bot.standup.live import render_agenda
from homeoffice_bot.standup.messages import render_kickoff
from homeoffice_bot.standup.minutes import Item, OpenAction, items_of, render_open_actions
from homeoffice_bot.standup.questions import blocker_question_index, section_keywords
from homeoffice_bot.standup.report import Note, Person, PersonAnswer, ReportData, ReportDetails
from homeoffice_bot.standup.store import AnswerRecord, NoteRecord, OccurrenceRecord
from homeoffice_bot.standup.text import Translate


def who_is_asked(
    config: StandupConfig, members: Iterable[str], bots: Iterable[str]
) -> tuple[str, ...]:
    """The room's members except bots, removed people and observers, plus added people."""
    return config.participants(members, bots)


def not_answered(occurrence: OccurrenceRecord, answers: Sequence[AnswerRecord]) -> list[str]:
    """Expected participants (not absent) without any answer, in participant order."""
    answered = {answer.user_id for answer in answers}
    return [user for user in occurrence.expected() if user not in answered]


def _person(user_id: str, names: Mapping[str, str]) -> Person:
    return Person(user_id, names.get(user_id) or user_id.split(":")[0].lstrip("@"))


def person_answers(
    occurrence: OccurrenceRecord, answers: Sequence[AnswerRecord], names: Mapping[str, str]
) -> tuple[PersonAnswer, ...]:
    """Each person's messages merged into one answer; late when the first message came
    after the window closed (by the homeserver's timestamp). Empty answers are left out."""
    n_questions = len(occurrence.questions)
    keywords = section_keywords(occurrence.config.questions)
    by_user: dict[str, list[AnswerRecord]] = defaultdict(list)
    for answer in answers:
        by_user[answer.user_id].append(answer)
    result: list[PersonAnswer] = []
    for user_id, records in by_user.items():
        messages = [record.message() for record in records]
        parsed = collect_answer(messages, n_questions, keywords)
        first = answered_at(messages)
        if parsed.is_empty or first is None:
            continue
        late = is_late(first, occurrence.closes_at)
        result.append(PersonAnswer(_person(user_id, names), parsed, first, late))
    return tuple(result)


def build_report(
    occurrence: OccurrenceRecord,
    answers: Sequence[AnswerRecord],
    notes: Sequence[NoteRecord],
    names: Mapping[str, str],
) -> ReportData:
    config = occurrence.config
    plain: list[Note] = []
    items: list[Item] = []
    for note in notes:
        late = occurrence.closed_at is not None and note.server_ts > occurrence.closed_at
        found, rest = items_of(
            note.text, author=note.user_id, event_id=note.event_id, posted_at=note.server_ts,
            today=occurrence.day, late=late,
        )  # fmt: skip
        items.extend(
            replace(
                item, author_name=_person(item.author, names).display_name,
                owner_name=_person(item.owner, names).display_name if item.owner else None,
            )
            for item in found
        )  # fmt: skip
        if rest:
            person = _person(note.user_id, names)
            plain.append(Note(person, "\n".join(rest), note.server_ts, late, note.event_id))
    return ReportData(
        name=config.name,
        day=occurrence.day,
        tz=config.tz,
        questions=occurrence.questions,
        participants=tuple(_person(user, names) for user in occurrence.participants),
        answers=person_answers(occurrence, answers, names),
        absent=tuple(_person(user, names) for user in occurrence.absent),
        observers=tuple(_person(user, names) for user in sorted(config.observers)),
        notes=tuple(plain),
        minutes=tuple(items),
        mode=config.mode,
        blocker_index=blocker_question_index(config.questions),
        kickoff_at=occurrence.kickoff_at,
        details=report_details(config),
    )


def report_details(config: StandupConfig) -> ReportDetails:
    """What the room has turned on beyond the answers (see ``report.ReportDetails``)."""
    return ReportDetails(config.report_times, config.report_late, config.report_missing_names)


def everyone(occurrence: OccurrenceRecord, writers: Iterable[str] = ()) -> list[str]:
    """Every user id a report of ``occurrence`` may name (for display-name lookups):
    participants, observers and those who wrote answers or notes."""
    users = [*occurrence.participants, *sorted(occurrence.config.observers), *writers]
    return list(dict.fromkeys(users))


NOTHING_NEW = "👍"
"""The bot's reaction under a written kickoff: a participant's tap answers "Nichts Neues"."""


def is_nothing_new(key: str) -> bool:
    """Whether a reaction key is the kickoff's "nichts Neues" (skin tones count too)."""
    return key.replace("\ufe0f", "").startswith(NOTHING_NEW)


def kickoff_markdown(
    occurrence: OccurrenceRecord,
    tr: Translate,
    names: Mapping[str, str],
    open_actions: Sequence[OpenAction] = (),
) -> str:
    """Written: the questions and how to answer; live: the agenda with the call link, the
    actions still open from earlier rounds, the speaking order (mentioned: the kickoff
    alerts the speakers) and who is absent; both: the written kickoff plus call link,
    open actions and speaking order."""
    config = occurrence.config
    order = [_person(user, names).display_name for user in occurrence.speaking_order]
    speakers = people_list([mention(user) for user in occurrence.speaking_order], tr)
    top = render_open_actions(open_actions, names, tr, escape_markdown)
    if config.mode is StandupMode.LIVE:
        absent = [_person(user, names).display_name for user in occurrence.absent]
        return render_agenda(
            config.name, occurrence.questions, order, config.call_link, occurrence.closes_at,
            config.tz, tr, order_markdown=speakers, absent=absent, top=top,
        )  # fmt: skip
    text = render_kickoff(
        config.name,
        occurrence.questions,
        occurrence.closes_at,
        config.tz,
        config.answer_channel,
        tr,
        call_link=config.call_link if config.mode is StandupMode.BOTH else None,
        late_start=occurrence.late_start,
    )
    if config.answer_channel is AnswerChannel.THREAD:
        text += "\n" + tr("standup.kickoff.dm_hint")
    text += "\n" + tr("standup.tap.hint")
    if config.mode is StandupMode.BOTH and top:
        text += "\n\n" + "\n".join(top)
    if config.mode is StandupMode.BOTH and order:
        text += "\n" + tr("standup.live.order", names=speakers)
    return text
