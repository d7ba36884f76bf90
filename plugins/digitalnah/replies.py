"""The bot's chat texts for #DigitalNah, as Markdown with every piece of user text escaped.

Each function takes ``tr`` for the room's language and returns the Markdown to send.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from digitalnah.assistant import ASSISTANT_FIELDS, AssistantStatus, AssistantTurn
from digitalnah.lifecycle import Action
from digitalnah.merge import MergeResult
from digitalnah.model import AuditEntry, Field, Offering, OfferingState, Problem, Tr
from digitalnah.render.common import (
    escape_markdown,
    format_date,
    format_instant,
    markdown_url,
    safe_link,
)
from digitalnah.validate import shown

FORM_ORDER: tuple[Field, ...] = ASSISTANT_FIELDS
DEFAULT_ZONE = "Europe/Berlin"


def _md(value: object) -> object:
    return escape_markdown(value) if isinstance(value, str) else value


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
    if not safe_link(url):
        return escape_markdown(url)
    return f"[{escape_markdown(url)}]({markdown_url(url)})"


def _value(offering: Offering, which: Field, language: str) -> str:
    if which is Field.LINK:
        return _link(offering.link) if offering.link else ""
    if which is Field.AVAILABLE_SINCE:
        day = offering.available_since
        return format_date(day, language) if day else ""
    if which is Field.DESCRIPTION:
        return escape_markdown(shown(offering.description)) if offering.description else ""
    return escape_markdown(offering.get(which))


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


def render_audit_trail(
    entries: Iterable[AuditEntry], tr: Tr, *, language: str = "de", zone: str = DEFAULT_ZONE
) -> list[str]:
    """``- time: action by actor – reason`` per entry, oldest first."""
    lines = []
    for entry in sorted(entries, key=lambda e: e.at):
        params = {
            "time": format_instant(entry.at, language, zone),
            "action": tr(f"digitalnah.action.{entry.action}"),
            "actor": escape_markdown(entry.actor),
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
) -> str:
    """``!angebot N``: all fields, state, submitter, moderator's note and the history."""
    number = offering.id if offering.id is not None else ""
    lines = [
        "**" + tr("digitalnah.detail.heading", id=number, title=_md(offering.title)) + "**",
        tr("digitalnah.detail.status", state=tr(f"digitalnah.state.{offering.state.value}")),
    ]
    lines += render_fields(offering, tr, language=language)
    when = format_instant(offering.created_at, language, zone)
    lines.append(tr("digitalnah.detail.submitted_by", submitter=_md(offering.submitter), time=when))
    if offering.review_note:
        lines.append(tr("digitalnah.detail.review_note", note=_md(offering.review_note)))
    if audit:
        lines += ["", tr("digitalnah.detail.audit_heading")]
        lines += render_audit_trail(audit, tr, language=language, zone=zone)
    return "\n".join(lines)


def _list_line(offering: Offering) -> str:
    number = offering.id if offering.id is not None else ""
    title = escape_markdown(offering.title)
    if safe_link(offering.link):
        title = f"[{title}]({markdown_url(offering.link)})"
    return f"#{number} {title} – {escape_markdown(offering.category)}"


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
            lines.append(tr("digitalnah.list.more", count=len(approved) - limit, url=page_url))
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


def _decision_params(entry: AuditEntry, offering: Offering) -> dict[str, object]:
    return {
        "id": offering.id if offering.id is not None else "",
        "title": _md(offering.title),
        "actor": _md(entry.actor),
        "reason": _md(entry.reason),
        "submitter": _md(offering.submitter),
    }


def render_moderation_message(entry: AuditEntry, offering: Offering, tr: Tr) -> str | None:
    """The room's line about a decision (or about a new submission to review); None for
    plain edits."""
    params = _decision_params(entry, offering)
    if entry.action == Action.SUBMIT.value or (
        entry.action == Action.EDIT.value and entry.to_state is OfferingState.PENDING
    ):
        return tr("digitalnah.moderation.new_for_review", **params)
    key = _ROOM_KEYS.get(entry.action)
    return tr(key, **params) if key else None


def render_submitter_notice(
    entry: AuditEntry, offering: Offering, tr: Tr, *, page_url: str = ""
) -> str | None:
    """What the submitter hears about a decision on their offering; None when there is
    nothing to tell (their own edit, submit or withdrawal)."""
    key = _NOTICE_KEYS.get(entry.action)
    if key is None or entry.actor == offering.submitter:
        return None
    return tr(key, url=page_url, **_decision_params(entry, offering))


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
                line += ": " + escape_markdown(shown(offering.description))
            lines.append(f"- {line}")
    lines += ["", tr("digitalnah.digest.footer", url=page_url)]
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
            lines += [f"{n}\\. {escape_markdown(c)}  " for n, c in enumerate(categories, 1)]
    elif state.status is AssistantStatus.CONFIRMING:
        lines.append(tr(turn.prompt.key))
        for which in FORM_ORDER:
            value = state.answer_for(which)
            if value:
                shown_value = value
                if which is Field.AVAILABLE_SINCE:
                    shown_value = format_date(date.fromisoformat(value), language)
                label = field_label(which, tr)
                lines.append(f"- **{label}:** {escape_markdown(shown(shown_value))}")
        lines += ["", tr("digitalnah.assistant.confirm_question")]
    else:
        lines.append(tr(turn.prompt.key))
    return "\n".join(lines)
