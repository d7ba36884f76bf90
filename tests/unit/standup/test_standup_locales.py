from __future__ import annotations

import re
import string
from pathlib import Path

from standup_helpers import LOCALES, catalogue

from homeoffice_bot.standup.calendar import SkipReason
from homeoffice_bot.standup.config import AnswerChannel, ReportFormat, ReportTarget, StandupMode
from homeoffice_bot.standup.personal_data import SECTIONS, TITLES

SOURCE = Path(LOCALES).parent


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    de, en = catalogue("de"), catalogue("en")
    assert set(de) == set(en)
    for key in de:
        assert placeholders(de[key]) == placeholders(en[key]), key


def test_every_key_the_code_uses_exists() -> None:
    de = catalogue("de")
    literal = re.compile(r'"(standup\.[a-z_0-9.]+)"')
    used: set[str] = set()
    for path in SOURCE.glob("*.py"):
        used.update(literal.findall(path.read_text(encoding="utf-8")))
    used |= {f"standup.mode.{m.value}" for m in StandupMode}
    used |= {f"standup.channel.{c.value}" for c in AnswerChannel}
    used |= {f"standup.format_name.{f.value}" for f in ReportFormat}
    used |= {f"standup.target.{t.value}" for t in ReportTarget}
    used |= {f"standup.skip_reason.{r.value}" for r in SkipReason}
    used |= {f"standup.weekday.{d}" for d in range(1, 8)}
    used |= {f"standup.weekday_short.{d}" for d in range(1, 8)}
    used |= {f"standup.{k}.{n}" for k in ("live.remaining", "report.summary.answered",
             "report.summary.blockers", "report.summary.late", "report.summary.notes",
             "report.summary.note_people")
             for n in ("one", "other")}  # fmt: skip
    used.discard(TITLES)  # catalogue_titles() appends the section names
    used |= {f"{TITLES}.{name}" for name in ("component", *SECTIONS)}
    assert len(used) > 80
    plural_stems = {key.rsplit(".", 1)[0] for key in de if key.endswith((".one", ".other"))}
    assert sorted(used - set(de) - plural_stems) == []
