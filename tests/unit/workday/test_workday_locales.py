"""The catalogues: same keys and placeholders in both languages; every key the code uses."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from workday_testing import LOCALES, messages

from homeoffice_bot.workday.arbzg import ReminderId
from homeoffice_bot.workday.states import PresenceState

SOURCES = sorted(LOCALES.parent.glob("*.py"))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_same_keys_and_placeholders() -> None:
    de, en = messages("de"), messages("en")
    assert set(de) == set(en)
    mismatched = [key for key in de if placeholders(de[key]) != placeholders(en[key])]
    assert mismatched == []


def _literal_keys(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    keys = set(re.findall(r"""\btr\(\s*["']([a-z0-9_.]+)["']""", source))
    keys |= set(re.findall(r"""ParseError\(\s*["']([a-z0-9_.]+)["']""", source))
    keys |= {
        f"workday.error.{k}" for k in re.findall(r"""_fail\(\s*["']([a-z0-9_]+)["']""", source)
    }
    return keys


def _dynamic_keys() -> set[str]:
    keys = {f"weekday.{day}" for day in range(1, 8)}
    keys |= {f"board.{state.value}" for state in PresenceState}
    keys |= {"board.break_until", "board.away_until"}
    keys |= {f"arbzg.{reminder.value}" for reminder in ReminderId}
    keys |= {f"off_note.{kind}_{end}" for kind in ("off", "leave") for end in ("back", "open")}
    return keys


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_key_used_by_the_code_exists(lang: str) -> None:
    used = set().union(*(_literal_keys(path) for path in SOURCES)) | _dynamic_keys()
    assert len(used) > 40
    assert sorted(used - set(messages(lang))) == []


def test_no_surveillance_wording() -> None:
    de = " ".join(messages("de").values()).lower()
    for word in ("kontrolle", "überwach", "verstoß", "verboten"):
        assert word not in de
