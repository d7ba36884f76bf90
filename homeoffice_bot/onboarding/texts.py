"""What the guided set-up says: the questions with their choices in words, and the summary.

Pure: a translator and values in, Markdown out. Room names and other text from people
are escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from homeoffice_bot.kernel.escaping import escape_line
from homeoffice_bot.kernel.i18n import Translator
from homeoffice_bot.onboarding.steps import (
    KEYS,
    NO_REGION,
    ORDER,
    Step,
    options,
    region_name,
    time_of,
    weekday_words,
    weekdays_of,
)

FREE_HINTS = {Step.TIME: "time", Step.DAYS: "days", Step.REGION: "region"}


def region_label(code: str) -> str:
    """ "Nordrhein-Westfalen (DE-NW)", or the code where no name is known."""
    name = region_name(code)
    return f"{name} ({code})" if name else code


def question(
    step: Step, tr: Translator, *, region_default: str, region_source: str | None, prefix: str
) -> str:
    """The question of ``step``: the question, (for the region) how the default was found,
    each choice with its number in words, and how to answer."""
    lines = [tr(f"onboarding.question.{step.value}", number=ORDER.index(step) + 1,
                total=len(ORDER))]  # fmt: skip
    if step is Step.REGION and region_source is not None:
        lines.append(tr(f"onboarding.region.detected_{region_source}",
                        region=region_label(region_default), prefix=prefix))  # fmt: skip
    lines.append("")
    for number, choice in enumerate(options(step, region_default), start=1):
        label = tr(choice.label, region=region_label(region_default))
        lines.append(f"- {number}: {label}")
    lines += ["", tr(f"onboarding.hint.{FREE_HINTS.get(step, 'choice')}")]
    return "\n".join(lines)


def reaction_keys(step: Step, region_default: str) -> tuple[str, ...]:
    return KEYS[: len(options(step, region_default))]


@dataclass(frozen=True)
class Outcome:
    """What applying the set-up did, for the summary."""

    room_name: str
    standup_name: str | None
    """None: the stand-up feature is not loaded."""
    standup_created: bool
    next_kickoff: datetime | None
    tz: str
    workday: bool
    """Whether the workday feature is loaded (board, room holidays)."""
    board_posted: bool | None
    """True: posted; False: the room has the workday off; None: not wanted."""


def summary(values: dict[str, str], outcome: Outcome, tr: Translator, prefix: str) -> str:
    at, days = time_of(values[Step.TIME]), weekdays_of(values[Step.DAYS])
    names = {day: tr(f"onboarding.weekday.{day}") for day in range(1, 8)}
    lines = [tr("onboarding.summary.title", room=escape_line(outcome.room_name)), ""]
    if outcome.standup_name is None:
        lines.append("- " + tr("onboarding.summary.no_standup"))
    else:
        key = "created" if outcome.standup_created else "changed"
        line = tr(f"onboarding.summary.standup_{key}", name=escape_line(outcome.standup_name),
                  days=weekday_words(days, names), time=f"{at:%H:%M}", tz=outcome.tz)  # fmt: skip
        if outcome.next_kickoff is not None:
            local = outcome.next_kickoff.astimezone(ZoneInfo(outcome.tz))
            line += " " + tr("onboarding.summary.next", date=f"{local:%d.%m.%Y}",
                             time=f"{local:%H:%M}")  # fmt: skip
        lines.append("- " + line)
        lead = "in" if values[Step.INCLUDE_LEAD] == "yes" else "out"
        lines.append("- " + tr(f"onboarding.summary.lead_{lead}"))
        lines.append("- " + tr(f"onboarding.summary.answers_{values[Step.ANSWERS]}"))
    region = values[Step.REGION]
    if region == NO_REGION:
        lines.append("- " + tr("onboarding.summary.no_region"))
    else:
        lines.append("- " + tr("onboarding.summary.region", region=region_label(region)))
    if not outcome.workday:
        lines.append("- " + tr("onboarding.summary.no_workday"))
    elif outcome.board_posted is True:
        lines.append("- " + tr("onboarding.summary.board_posted"))
    elif outcome.board_posted is False:
        lines.append("- " + tr("onboarding.summary.board_off", prefix=prefix))
    else:
        lines.append("- " + tr("onboarding.summary.board_later", prefix=prefix))
    lines += ["", tr("onboarding.summary.change_later", prefix=prefix)]
    return "\n".join(lines)
