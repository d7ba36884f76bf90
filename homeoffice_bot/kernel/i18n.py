"""Message catalogues: German by default, English second.

Each component keeps its catalogues in a ``locales`` folder: ``de.toml`` and ``en.toml``,
optionally split into ``<part>.de.toml`` / ``<part>.en.toml``. Nested tables are flattened
to dotted keys. Placeholders use ``str.format`` syntax: ``"Hallo {name}"``.

Formal address: a room can ask for "Sie" instead of "du" (``!anrede sie``). A catalogue then
carries the formal variants of the strings that address the reader in ``de-sie.toml`` (or
``<part>.de-sie.toml``): the same keys and placeholders as ``de.toml``, only the keys that
differ. A formal translator takes the variant where there is one and the plain text otherwise.

Wording: a room can ask for German words instead of the English loans (``!wortwahl
morgenrunde``: "Morgenrunde" for "Stand-up", "Videokonferenz" for "Call"). Its variants live in
``de-morgenrunde.toml``, and the variants that also say "Sie" in ``de-sie-morgenrunde.toml``;
each is written out, never substituted at runtime (the grammar differs: "das Stand-up", "die
Morgenrunde"). A translator looks a key up in the order formal+wording → wording → formal →
plain, in the room's language first and then in German (``variant_chain``).
"""

from __future__ import annotations

import logging
import string
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "de"
ADDRESSES: tuple[str, ...] = ("du", "sie")
"""How the bot addresses people in a room: informal ("du", the default) or formal ("Sie")."""
DEFAULT_ADDRESS = "du"
FORMAL_SUFFIX = "-sie"
WORDINGS: tuple[str, ...] = ("stand-up", "morgenrunde")
"""The room's words for the daily meeting and the video call: the English loans ("Stand-up",
"Call", the default) or German ones ("Morgenrunde", "Videokonferenz")."""
DEFAULT_WORDING = "stand-up"


def formal_of(lang: str) -> str:
    """The catalogue name of a language's formal variants: ``de`` → ``de-sie``."""
    return f"{lang}{FORMAL_SUFFIX}"


def variant_of(lang: str, formal: bool = False, wording: str = DEFAULT_WORDING) -> str:
    """The catalogue name of a variant: ``de``, ``de-sie``, ``de-morgenrunde``,
    ``de-sie-morgenrunde``."""
    name = formal_of(lang) if formal else lang
    return name if wording == DEFAULT_WORDING else f"{name}-{wording}"


def variant_chain(
    lang: str, formal: bool = False, wording: str = DEFAULT_WORDING
) -> tuple[str, ...]:
    """The catalogues a key is looked up in, first match wins: for each of the room's
    language and German, formal+wording → wording → formal → plain (only the ones that apply)."""
    chain: list[str] = []
    for language in (lang, DEFAULT_LANGUAGE):
        for name in (
            variant_of(language, formal, wording),
            variant_of(language, False, wording),
            variant_of(language, formal),
            language,
        ):
            if name not in chain:
                chain.append(name)
    return tuple(chain)


def catalogue_names() -> tuple[str, ...]:
    """Every catalogue name a component may carry."""
    return tuple(
        variant_of(lang, formal, wording)
        for lang in LANGUAGES
        for formal in (False, True)
        for wording in WORDINGS
    )


KERNEL_LOCALES = Path(__file__).parent / "locales"
"""The kernel's own catalogue, the fallback of every component's."""


class Translator(Protocol):
    lang: str

    def __call__(self, key: str, /, **params: Any) -> str: ...


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{full}."))
        else:
            out[full] = str(value)
    return out


def load_catalogues(folder: Path) -> dict[str, dict[str, str]]:
    """Read every ``*.toml`` catalogue in ``folder``; return {language: {key: text}}."""
    result: dict[str, dict[str, str]] = {name: {} for name in catalogue_names()}
    for path in sorted(folder.glob("*.toml")):
        lang = path.stem.rsplit(".", 1)[-1]
        if lang not in result:
            log.warning("ignoring catalogue %s: unknown language %r", path, lang)
            continue
        with path.open("rb") as fh:
            result[lang].update(_flatten(tomllib.load(fh)))
    return result


def placeholders(text: str) -> frozenset[str]:
    return frozenset(
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(text)
        if field
    )


class Catalogue:
    """All messages of one component, in every language."""

    def __init__(self, messages: dict[str, dict[str, str]], fallback: Catalogue | None = None):
        self.messages = messages
        self.fallback = fallback

    @classmethod
    def from_folder(cls, folder: Path, fallback: Catalogue | None = None) -> Catalogue:
        return cls(load_catalogues(folder), fallback)

    def lookup(
        self, lang: str, key: str, formal: bool = False, wording: str = DEFAULT_WORDING
    ) -> str | None:
        for name in variant_chain(lang, formal, wording):
            text = self.messages.get(name, {}).get(key)
            if text is not None:
                return text
        return self.fallback.lookup(lang, key, formal, wording) if self.fallback else None

    def translator(
        self, lang: str, formal: bool = False, wording: str = DEFAULT_WORDING
    ) -> Translator:
        """The messages in ``lang``; ``formal`` for a room that asked for "Sie", ``wording``
        for a room that asked for "Morgenrunde" (one of ``WORDINGS``)."""
        return _BoundTranslator(
            self,
            lang if lang in LANGUAGES else DEFAULT_LANGUAGE,
            formal,
            wording if wording in WORDINGS else DEFAULT_WORDING,
        )


def component_catalogue(folder: Path) -> Catalogue:
    """A component's catalogue with the kernel's as its fallback, as the host builds it for
    a plugin: for rendering outside a running bot (tests, offline commands, workers)."""
    return Catalogue.from_folder(folder, fallback=Catalogue.from_folder(KERNEL_LOCALES))


class _BoundTranslator:
    def __init__(
        self,
        catalogue: Catalogue,
        lang: str,
        formal: bool = False,
        wording: str = DEFAULT_WORDING,
    ) -> None:
        self.catalogue = catalogue
        self.lang = lang
        self.formal = formal
        self.wording = wording

    def __call__(self, key: str, /, **params: Any) -> str:
        text = self.catalogue.lookup(self.lang, key, self.formal, self.wording)
        if text is None:
            log.error("missing message %r (%s)", key, self.lang)
            return key
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            log.exception("message %r (%s) does not fit its parameters", key, self.lang)
            return text


def plural_form(count: int) -> str:
    """The catalogue sub-key for ``count``: ``one`` or ``other``. German and English share
    the rule (only 1 is singular: "1 Erwähnung", "0 Erwähnungen", "3 Erwähnungen")."""
    return "one" if count == 1 else "other"


def plural(tr: Callable[..., str], key: str, count: int, /, **params: Any) -> str:
    """The message ``key.one`` or ``key.other`` for ``count``, with ``{count}`` filled in:
    real plural forms instead of "Erwähnung(en)". Catalogues write both forms:

        [mentions]
        one = "{count} Erwähnung"
        other = "{count} Erwähnungen"
    """
    return tr(f"{key}.{plural_form(count)}", count=count, **params)
