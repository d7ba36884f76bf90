"""The bot's chat texts for #DigitalNah, as Markdown with every piece of user text escaped.

Each function takes ``tr`` for the room's language and returns the Markdown source to send
with ``MatrixClient.send``. User text goes through ``chat_text`` (the kernel's
``escape_markdown`` on one line): the kernel's renderer escapes ``& < >`` of the whole
source itself, so chat text must not be entity-escaped here (that would show ``&lt;``).
People are named by display name (``names``: user id -> name); ``mention`` tokens ping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from digitalnah.assistant import ASSISTANT_FIELDS, AssistantStatus, AssistantTurn
from digitalnah.lifecycle import Action
from digitalnah.merge import MergeResult
from digitalnah.model import AuditEntry, Field, Offering, OfferingState, Problem, Tr
from digitalnah.render.common import format_date, format_instant, markdown_url, one_line, safe_link
from digitalnah.validate import MAX_LENGTHS, MAX_TAG_LENGTH, MAX_TAGS, clipped, shown
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import mention

FORM_ORDER: tuple[Field, ...] = ASSISTANT_FIELDS
DEFAULT_ZONE = "Europe/Berlin"
MAX_SHOWN: Mapping[Field, int] = {f: n + 1 for f, n in MAX_LENGTHS.items()}
"""A value is shown up to one character past its limit: a longer one ends in "…" (its
problem says how long it is), so that no reply grows past what a homeserver accepts."""
MAX_TAGS_SHOWN = (MAX_TAGS + 1) * (MAX_TAG_LENGTH + 2)


Names = Mapping[str, str]
"""Display names by user id; a missing one shows the user id."""


def chat_text(value: str) -> str:
    """User text for a chat message: on one line, Markdown syntax and mention tokens made
    inert (the kernel's renderer escapes HTML itself)."""
    return escape_markdown(one_line(value))


def _md(value: object) -> object:
    return chat_text(value) if isinstance(value, str) else value


def person(user_id: str, names: Names | None = None) -> str:
    """A person's display name (escaped), without pinging them."""
    return chat_text((names or {}).get(user_id, user_id))


def markdown_link(url: str, text: str | None = None) -> str:
    """``[text](url)`` for an http(s) URL; anything else shows as escaped text."""
    label = chat_text(text if text is not None else url)
    if not safe_link(url):
        return label
    return f"[{label}]({markdown_url(url)})"


def field_label(which: str, tr: Tr) -> str:
    return tr(f"digitalnah.field.{which}") if which else ""


def render_problem(problem: Problem, tr: Tr) -> str:
    """One problem as a sentence; its params are escaped, ``field`` is the field's label."""
    params = {k: _md(v) for k, v in problem.params.items()}
    params["field"] = field_label(problem.field, tr)
    return tr(problem.key, **params)


def _bullets(lines: Iterable[str]) -> list[str]:
    return [f"- {line}" for line in lines]


def _link(url: str) -> str:
    return markdown_link(url)


def _value(offering: Offering, which: Field, language: str) -> str:
    if which is Field.LINK:
        return _link(offering.link) if offering.link else ""
    if which is Field.AVAILABLE_SINCE:
        day = offering.available_since
        return format_date(day, language) if day else ""
    if which is Field.DESCRIPTION:
        return chat_text(shown(offering.description)) if offering.description else ""
    return chat_text(clipped(offering.get(which), MAX_SHOWN.get(which, MAX_TAGS_SHOWN)))


def render_fields(offering: Offering, tr: Tr, *, language: str = "de") -> list[str]:
    """``- **Label:** value`` for every filled field, in form order."""
    lines = []
    for which in FORM_ORDER:
        value = _value(offering, which, language)
        if value:
            lines.append(f"- **{field_label(which, tr)}:** {value}")
    return lines


def render_draft_reply(
    result: MergeResult,
    tr: Tr,
    *,
    categories: Sequence[str],
    language: str = "de",
    unplaced_text: str = "",
) -> str:
    """The thread reply after a #DigitalNah message, a completing reply or an edit: what
    was understood, what is missing or wrong, hints, and what happens next."""
    offering = result.offering
    fields = render_fields(offering, tr, language=language)
    lines = [tr("digitalnah.draft.understood" if fields else "digitalnah.draft.nothing_understood")]
    lines += fields
    missing = result.missing
    if missing:
        lines += ["", tr("digitalnah.draft.missing_heading")]
        lines += _bullets(field_label(f, tr) for f in missing)
        if Field.CATEGORY in missing:
            lines.append(
                tr("digitalnah.draft.category_hint", categories=_md(", ".join(categories)))
            )
    if not offering.description:
        lines += ["", tr("digitalnah.draft.description_hint")]
    others = [p for p in result.problems if p.key != "digitalnah.problem.missing"]
    if others:
        lines += ["", tr("digitalnah.draft.problems_heading")]
        lines += _bullets(render_problem(p, tr) for p in others)
    if result.notes:
        lines += ["", tr("digitalnah.draft.notes_heading")]
        lines += _bullets(render_problem(p, tr) for p in result.notes)
    if unplaced_text.strip():
        lines += ["", tr("digitalnah.draft.unplaced", text=_md(shown(unplaced_text)))]
    footer = _draft_footer(result, tr)
    if footer:
        lines += ["", footer]
    return "\n".join(lines)


def _draft_footer(result: MergeResult, tr: Tr) -> str:
    offering = result.offering
    number = offering.id if offering.id is not None else ""
    if offering.state is OfferingState.DRAFT:
        return tr("digitalnah.draft.how_to_complete")
    if offering.state is not OfferingState.PENDING:
        return ""
    audit = result.audit
    if audit is not None and audit.action == Action.SUBMIT.value:
        return tr("digitalnah.draft.submitted", id=number)
    if audit is not None and audit.from_state is OfferingState.APPROVED:
        return tr("digitalnah.draft.back_to_review", id=number)
    return tr("digitalnah.draft.updated", id=number)


def _actor(user_id: str, names: Names | None, tr: Tr) -> str:
    """``Name (@user:server)`` for the audit trail: readable and unambiguous. A person
    whose data was deleted (``!daten-löschen``) is an empty id and says so."""
    if not user_id:
        return tr("digitalnah.detail.deleted_person")
    name = (names or {}).get(user_id)
    if not name or name == user_id:
        return chat_text(user_id)
    return f"{chat_text(name)} ({chat_text(user_id)})"


def render_audit_trail(
    entries: Iterable[AuditEntry],
    tr: Tr,
    *,
    language: str = "de",
    zone: str = DEFAULT_ZONE,
    names: Names | None = None,
) -> list[str]:
    """``- time: action by actor – reason`` per entry, oldest first."""
    lines = []
    for entry in sorted(entries, key=lambda e: e.at):
        params = {
            "time": format_instant(entry.at, language, zone),
            "action": tr(f"digitalnah.action.{entry.action}"),
            "actor": _actor(entry.actor, names, tr),
        }
        if entry.reason:
            lines.append(
                tr("digitalnah.detail.audit_entry_reason", reason=_md(entry.reason), **params)
            )
        else:
            lines.append(tr("digitalnah.detail.audit_entry", **params))
    return _bullets(lines)


def render_offering_detail(
    offering: Offering,
    tr: Tr,
    *,
    language: str = "de",
    zone: str = DEFAULT_ZONE,
    audit: Sequence[AuditEntry] = (),
    names: Names | None = None,
    insider: bool = True,
) -> str:
    """``!angebot N``: all fields, state, submitter, moderator's note and the history;
    without ``insider`` (someone else than the submitter and the moderators) only what the
    published page shows."""
    number = offering.id if offering.id is not None else ""
    lines = [
        "**" + tr("digitalnah.detail.heading", id=number, title=_md(offering.title)) + "**",
        tr("digitalnah.detail.status", state=tr(f"digitalnah.state.{offering.state.value}")),
    ]
    lines += render_fields(offering, tr, language=language)
    if not insider:
        return "\n".join(lines)
    when = format_instant(offering.created_at, language, zone)
    submitter = _actor(offering.submitter, names, tr)
    lines.append(tr("digitalnah.detail.submitted_by", submitter=submitter, time=when))
    if offering.review_note:
        lines.append(tr("digitalnah.detail.review_note", note=_md(offering.review_note)))
    if audit:
        lines += ["", tr("digitalnah.detail.audit_heading")]
        lines += render_audit_trail(audit, tr, language=language, zone=zone, names=names)
    return "\n".join(lines)


def _list_line(offering: Offering) -> str:
    number = offering.id if offering.id is not None else ""
    title = markdown_link(offering.link, offering.title)
    return f"#{number} {title} – {chat_text(offering.category)}"


def render_offering_list(
    approved: Sequence[Offering],
    tr: Tr,
    *,
    pending: Sequence[Offering] = (),
    limit: int = 20,
    page_url: str = "",
) -> str:
    """``!angebote``: the current (approved) offerings, and, for moderators, those waiting."""
    lines: list[str] = []
    if approved:
        lines.append(tr("digitalnah.list.heading", count=len(approved)))
        lines += _bullets(_list_line(o) for o in approved[:limit])
        if len(approved) > limit:
            more = len(approved) - limit
            lines.append(tr("digitalnah.list.more", count=more, url=markdown_link(page_url)))
    else:
        lines.append(tr("digitalnah.list.empty"))
    if pending:
        lines += ["", tr("digitalnah.list.pending_heading", count=len(pending))]
        lines += _bullets(_list_line(o) for o in pending[:limit])
    return "\n".join(lines)


_ROOM_KEYS = {
    Action.APPROVE.value: "digitalnah.moderation.approved",
    Action.REJECT.value: "digitalnah.moderation.rejected",
    Action.REQUEST_CHANGES.value: "digitalnah.moderation.changes_requested",
    Action.WITHDRAW.value: "digitalnah.moderation.withdrawn",
    Action.END.value: "digitalnah.moderation.ended",
}
_NOTICE_KEYS = {
    Action.APPROVE.value: "digitalnah.notice.approved",
    Action.REJECT.value: "digitalnah.notice.rejected",
    Action.REQUEST_CHANGES.value: "digitalnah.notice.changes_requested",
    Action.WITHDRAW.value: "digitalnah.notice.withdrawn",
    Action.END.value: "digitalnah.notice.ended",
}


def _decision_params(
    entry: AuditEntry, offering: Offering, names: Names | None
) -> dict[str, object]:
    return {
        "id": offering.id if offering.id is not None else "",
        "title": _md(offering.title),
        "actor": person(entry.actor, names),
        "reason": _md(entry.reason),
        "submitter": person(offering.submitter, names),
    }


def render_moderation_message(
    entry: AuditEntry, offering: Offering, tr: Tr, *, names: Names | None = None
) -> str | None:
    """The room's line about a decision (or about a new submission to review); None for
    plain edits."""
    params = _decision_params(entry, offering, names)
    if entry.action == Action.SUBMIT.value or (
        entry.action == Action.EDIT.value and entry.to_state is OfferingState.PENDING
    ):
        return tr("digitalnah.moderation.new_for_review", **params)
    key = _ROOM_KEYS.get(entry.action)
    return tr(key, **params) if key else None


def render_submitter_notice(
    entry: AuditEntry,
    offering: Offering,
    tr: Tr,
    *,
    page_url: str = "",
    names: Names | None = None,
) -> str | None:
    """What the submitter hears about someone else's decision on their offering, starting
    with a mention that pings them; None when there is nothing to tell (their own edit,
    submit or withdrawal)."""
    key = _NOTICE_KEYS.get(entry.action)
    if key is None or entry.actor == offering.submitter:
        return None
    params = _decision_params(entry, offering, names)
    return tr(key, url=markdown_link(page_url), mention=mention(offering.submitter), **params)


def render_decision(
    entry: AuditEntry,
    offering: Offering,
    tr: Tr,
    *,
    page_url: str = "",
    names: Names | None = None,
) -> str | None:
    """The thread message about a decision: the notice to the submitter when someone else
    decided, else the room line."""
    notice = render_submitter_notice(entry, offering, tr, page_url=page_url, names=names)
    return notice or render_moderation_message(entry, offering, tr, names=names)


def digest_offerings(
    offerings: Iterable[Offering], *, since: datetime, until: datetime
) -> list[Offering]:
    """Approved offerings first approved in [since, until), oldest first."""
    chosen = [
        o
        for o in offerings
        if o.state is OfferingState.APPROVED
        and o.approved_at is not None
        and since <= o.approved_at < until
    ]
    return sorted(chosen, key=lambda o: (o.approved_at, o.id or 0))


def render_digest(offerings: Sequence[Offering], tr: Tr, *, page_url: str) -> str:
    """The weekly digest of ``digest_offerings``."""
    if not offerings:
        lines = [tr("digitalnah.digest.empty")]
    else:
        lines = [tr("digitalnah.digest.heading", count=len(offerings))]
        for offering in offerings:
            line = _list_line(offering)
            if offering.description:
                line += ": " + chat_text(shown(offering.description))
            lines.append(f"- {line}")
    lines += ["", tr("digitalnah.digest.footer", url=markdown_link(page_url))]
    return "\n".join(lines)


def render_assistant_turn(
    turn: AssistantTurn,
    tr: Tr,
    *,
    categories: Sequence[str],
    language: str = "de",
    first: bool = False,
) -> str:
    """The assistant's next message: problems with the last answer, then the question
    (with the numbered categories, or the summary before submitting)."""
    lines: list[str] = []
    if first:
        lines += [tr("digitalnah.assistant.intro"), ""]
    if turn.problems:
        lines += [render_problem(p, tr) for p in turn.problems]
        lines.append("")
    state = turn.state
    if state.status is AssistantStatus.ASKING:
        params = dict(turn.prompt.params)
        lines.append(f"_{tr('digitalnah.assistant.step', **params)}_")
        lines.append(tr(turn.prompt.key, **params))
        if state.current_field is Field.CATEGORY:
            lines += [f"{n}\\. {chat_text(c)}  " for n, c in enumerate(categories, 1)]
    elif state.status is AssistantStatus.CONFIRMING:
        lines.append(tr(turn.prompt.key))
        for which in FORM_ORDER:
            value = state.answer_for(which)
            if value:
                shown_value = value
                if which is Field.AVAILABLE_SINCE:
                    shown_value = format_date(date.fromisoformat(value), language)
                label = field_label(which, tr)
                lines.append(f"- **{label}:** {chat_text(shown(shown_value))}")
        lines += ["", tr("digitalnah.assistant.confirm_question")]
    else:
        lines.append(tr(turn.prompt.key))
    return "\n".join(lines)
