"""The one rule for Matrix user ids, used by commands, settings and the minutes alike."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from digitalnah.settings import DigitalNahSettings
from homeoffice_bot.kernel.argtypes import parse_user_id
from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.ids import is_user_id
from homeoffice_bot.standup.settings import StandupSettings

GOOD = ["@anna:example.org", "@ben.mueller_1=x/y+z:stadt.example:8448", "@c:[::1]:8448"]
BAD = [
    "anna:example.org", "@Anna:example.org", "@müller:example.org", "@anna", "@anna:",
    "@anna:exa mple.org", "@" + "a" * 250 + ":example.org",
]  # fmt: skip


@pytest.mark.parametrize("text", GOOD)
def test_a_user_id_is_accepted_everywhere(text: str) -> None:
    assert is_user_id(text)
    assert parse_user_id(text) == text
    assert StandupSettings(bots=[text]).bots == [text]
    assert DigitalNahSettings(moderators=[text]).moderators == [text]


@pytest.mark.parametrize("text", BAD)
def test_anything_else_is_refused_everywhere(text: str) -> None:
    assert not is_user_id(text)
    with pytest.raises(ParseError):
        parse_user_id(text)
    with pytest.raises(ValidationError):
        StandupSettings(bots=[text])
