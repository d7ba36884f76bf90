"""The plugin's message catalogues (locales/de.toml, locales/en.toml) as flat dotted keys.

The kernel's i18n may load these files itself; ``translator`` is a small stand-alone ``tr``
for tests and for rendering outside a room (``homeoffice-bot publish``).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from digitalnah.model import Tr

LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "de"


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def load_catalogue(language: str) -> dict[str, str]:
    """All messages of ``language`` ("de" or "en") by dotted key."""
    if language not in LANGUAGES:
        raise ValueError(f"no #DigitalNah catalogue for language {language!r}")
    text = resources.files("digitalnah").joinpath("locales", f"{language}.toml").read_text("utf-8")
    return flatten(tomllib.loads(text))


def placeholders(template: str) -> frozenset[str]:
    """The ``{name}`` placeholders of a message."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def translator(language: str = DEFAULT_LANGUAGE, *, strict: bool = False) -> Tr:
    """``tr(key, **params)`` for ``language``, German for keys it lacks; an unknown key
    comes back as itself (``strict``: raises KeyError)."""
    catalogue = load_catalogue(language)
    fallback = catalogue if language == DEFAULT_LANGUAGE else load_catalogue(DEFAULT_LANGUAGE)

    def tr(key: str, /, **params: Any) -> str:
        template = catalogue.get(key) or fallback.get(key)
        if template is None:
            if strict:
                raise KeyError(key)
            return key
        return template.format(**params)

    return tr
