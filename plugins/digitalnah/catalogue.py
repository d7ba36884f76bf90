"""The plugin's message catalogues (locales/de.toml, locales/en.toml), read by the kernel's
i18n as for every component; ``translator`` is a stand-alone ``tr`` for tests and for
rendering outside a room (the render worker, ``homeoffice-bot publish``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digitalnah.model import Tr
from homeoffice_bot.kernel.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Catalogue,
    component_catalogue,
    load_catalogues,
)

LOCALES = Path(__file__).parent / "locales"


def catalogue() -> Catalogue:
    """The plugin's messages with the kernel's as fallback, as the host loads them."""
    return component_catalogue(LOCALES)


def load_catalogue(language: str) -> dict[str, str]:
    """The plugin's own messages of ``language`` ("de" or "en") by dotted key."""
    if language not in LANGUAGES:
        raise ValueError(f"no #DigitalNah catalogue for language {language!r}")
    return load_catalogues(LOCALES)[language]


def translator(language: str = DEFAULT_LANGUAGE, *, strict: bool = False) -> Tr:
    """``tr(key, **params)`` for ``language``, German for keys it lacks; an unknown key
    comes back as itself (``strict``: raises KeyError)."""
    messages = catalogue()
    if not strict:
        return messages.translator(language)

    def tr(key: str, /, **params: Any) -> str:
        template = messages.lookup(language, key)
        if template is None:
            raise KeyError(key)
        return template.format(**params)

    return tr
