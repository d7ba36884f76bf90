"""Helpers for the workday unit tests: a translator over the real catalogues, instants."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import homeoffice_bot.workday

LOCALES = Path(homeoffice_bot.workday.__file__).parent / "locales"
BERLIN = "Europe/Berlin"


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


def messages(lang: str) -> dict[str, str]:
    with (LOCALES / f"{lang}.toml").open("rb") as fh:
        return flatten(tomllib.load(fh))


class Tr:
    """``tr(key, **params)`` over the workday catalogue; a missing key fails the test."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.texts = messages(lang)

    def __call__(self, key: str, /, **params: Any) -> str:
        return self.texts[key].format(**params)


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Berlin wall-clock moment as a UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(BERLIN)).astimezone(UTC)
