"""Test helpers for the stand-up unit tests: strict translators over the real catalogues."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import homeoffice_bot.kernel
import homeoffice_bot.standup

LOCALES = Path(homeoffice_bot.standup.__file__).parent / "locales"


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


KERNEL_LOCALES = Path(homeoffice_bot.kernel.__file__).parent / "locales"


def catalogue(lang: str) -> dict[str, str]:
    with (LOCALES / f"{lang}.toml").open("rb") as fh:
        return flatten(tomllib.load(fh))


def kernel_catalogue(lang: str) -> dict[str, str]:
    with (KERNEL_LOCALES / f"{lang}.toml").open("rb") as fh:
        return flatten(tomllib.load(fh))


def make_tr(lang: str) -> Callable[..., str]:
    """A translator that fails loudly on a missing key or placeholder; like the bot's, it
    falls back to the kernel's catalogue (e.g. for lists of people)."""
    messages = kernel_catalogue(lang) | catalogue(lang)

    def tr(key: str, /, **params: Any) -> str:
        return messages[key].format(**params)

    return tr


tr_de = make_tr("de")
tr_en = make_tr("en")
