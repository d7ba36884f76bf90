"""One person's data across every component: the export (GDPR Art. 15 and 20) and the
deletion (Art. 17).

Every component that stores something about a person registers a ``PersonalDataSource``
with ``ctx.add_personal_data(source)`` in its ``start``. The kernel, the workday, the
stand-up and #DigitalNah do; a third-party plugin that keeps rows naming a person must
too, or ``!meine-daten`` and ``!daten-löschen`` miss them. A source answers four things:

- ``export_person(user)``: every row about the person, by section, as plain dicts
  (``{"answers": [{"user_id": ..., "text": ...}, ...]}``). Rows of other people do not
  belong there; a row with a ``user_id`` or ``user`` column naming someone else is dropped.
- ``forget_person(user)``: delete or anonymise those rows; return how many changed. It
  must leave nothing from which a read-only command would bring the person back.
- ``what_stays(lang)``: short sentences, in the person's language ("de" or "en"), saying
  what the component keeps after the deletion and why (empty when nothing stays).
- ``titles(lang)``: readable headings for the file: ``""`` names the component
  ("Stand-up"), every section name its rows ("answers": "Deine Antworten"). Missing ones
  fall back to the plain names.

``PersonalDataRegistry`` (a service: ``ctx.services.get(PERSONAL_DATA)``) asks every
source; ``build_export`` and ``render_markdown`` make the one file the person gets.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.services import ServiceKey

log = logging.getLogger(__name__)

EXPORT_FORMAT = "homeoffice-bot.personal-data"
EXPORT_VERSION = 2
OWNER_COLUMNS = ("user_id", "user")
"""Columns naming a row's owner; a row whose owner is someone else is not exported."""
Rows = Sequence[Mapping[str, Any]]


class PersonalDataSource(Protocol):
    """What a component knows about one person (see the module docstring)."""

    async def export_person(self, user: UserID) -> Mapping[str, Rows]: ...

    async def forget_person(self, user: UserID) -> int: ...

    def what_stays(self, lang: str) -> Sequence[str]: ...

    def titles(self, lang: str) -> Mapping[str, str]: ...


Titles = Mapping[str, Mapping[str, str]]
"""Per component: ``""`` → the component's title, section name → the section's title."""


def catalogue_titles(
    catalogue: Catalogue, lang: str, prefix: str, sections: Sequence[str]
) -> dict[str, str]:
    """``titles`` from catalogue keys ``<prefix>.component`` and ``<prefix>.<section>``."""
    tr = catalogue.translator(lang)
    return {"": tr(f"{prefix}.component"), **{s: tr(f"{prefix}.{s}") for s in sections}}


@dataclass(frozen=True)
class Erasure:
    """The outcome of deleting one person's data."""

    changed: dict[str, int] = field(default_factory=dict)
    """Rows deleted or anonymised, per component."""
    stays: dict[str, list[str]] = field(default_factory=dict)
    """What each component keeps, in the person's language."""
    failed: list[str] = field(default_factory=list)
    """Components whose deletion failed (logged); the person is told to ask again."""

    @property
    def total(self) -> int:
        return sum(self.changed.values())


class PersonalDataRegistry:
    """The sources of every component, in start order (the service ``PERSONAL_DATA``)."""

    def __init__(self) -> None:
        self._sources: dict[str, PersonalDataSource] = {}

    def add(self, component: str, source: PersonalDataSource) -> None:
        self._sources[component] = source

    @property
    def components(self) -> list[str]:
        return list(self._sources)

    async def export(self, user: UserID) -> dict[str, dict[str, Rows]]:
        """Every component's sections for ``user``. A failing source is logged and
        shows up as a section ``error`` so the person sees that something is missing."""
        out: dict[str, dict[str, Rows]] = {}
        for component, source in self._sources.items():
            try:
                sections = await source.export_person(user)
            except Exception:
                log.exception("personal data export of %s failed", component)
                out[component] = {"error": [{"message": "export failed"}]}
                continue
            out[component] = {name: list(rows) for name, rows in sections.items()}
        return out

    def titles(self, lang: str) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for component, source in self._sources.items():
            try:
                out[component] = dict(source.titles(lang))
            except Exception:
                log.exception("personal data titles of %s failed", component)
                out[component] = {}
        return out

    def title(self, component: str, lang: str) -> str:
        """The component's readable name ("Stand-up"), else its name."""
        return self.titles(lang).get(component, {}).get("") or component

    async def forget(self, user: UserID, lang: str) -> Erasure:
        erasure = Erasure()
        for component, source in self._sources.items():
            try:
                erasure.changed[component] = await source.forget_person(user)
            except Exception:
                log.exception("personal data deletion in %s failed", component)
                erasure.failed.append(component)
                continue
            stays = list(source.what_stays(lang))
            if stays:
                erasure.stays[component] = stays
        return erasure


PERSONAL_DATA: ServiceKey[PersonalDataRegistry] = ServiceKey("kernel.personal_data")


def plain(value: Any) -> Any:
    """A JSON-serialisable copy: instants as ISO 8601 UTC, dates/times ISO, enums by value."""
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _belongs_to(row: Mapping[str, Any], user: UserID) -> bool:
    return all(row[column] == user for column in OWNER_COLUMNS if column in row)


def build_export(
    user: UserID, components: Mapping[str, Mapping[str, Rows]], now: datetime
) -> dict[str, Any]:
    """``{"format", "version", "user", "exported_at", "data": {component: {section: rows}}}``."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "user": user,
        "exported_at": plain(now),
        "data": {
            component: {
                name: [plain(row) for row in rows if _belongs_to(row, user)]
                for name, rows in sorted(sections.items())
            }
            for component, sections in components.items()
        },
    }


def count_rows(export: Mapping[str, Any]) -> dict[str, int]:
    """Rows per component, for the reply that says what the file holds."""
    return {
        component: sum(len(rows) for rows in sections.values())
        for component, sections in export["data"].items()
    }


def _cell(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    structured = isinstance(value, dict | list)
    text = json.dumps(value, ensure_ascii=False) if structured else str(value)
    return " ".join(text.split())


def render_markdown(
    export: Mapping[str, Any], texts: Mapping[str, str], titles: Titles | None = None
) -> str:
    """The readable part: a heading per component, a list per section, one line per row,
    then the JSON. ``texts`` gives the translated ``title``, ``intro``, ``empty`` and
    ``json``; ``titles`` the components' headings (see ``PersonalDataSource.titles``)."""
    named = titles or {}
    out = [f"# {texts['title']}", "", texts["intro"], ""]
    for component, sections in export["data"].items():
        own = named.get(component, {})
        out.extend([f"## {own.get('') or component}", ""])
        filled = {name: rows for name, rows in sections.items() if rows}
        if not filled:
            out.extend([texts["empty"], ""])
            continue
        for name, rows in filled.items():
            out.extend([f"### {own.get(name) or name} ({len(rows)})", ""])
            for row in rows:
                fields = "; ".join(f"{key}: {_cell(value)}" for key, value in row.items())
                out.append(f"- {fields}")
            out.append("")
    out.extend([f"## {texts['json']}", "", "```json", export_json(export), "```", ""])
    return "\n".join(out)


def export_json(export: Mapping[str, Any]) -> str:
    return json.dumps(export, ensure_ascii=False, indent=2, sort_keys=True)


def json_part(markdown: str) -> dict[str, Any]:
    """The machine-readable part of a file made by ``render_markdown``."""
    start = markdown.index("```json\n") + len("```json\n")
    end = markdown.index("\n```", start)
    loaded: dict[str, Any] = json.loads(markdown[start:end])
    return loaded


class HeldDirectMessages(Protocol):
    async def held_for(self, user_id: UserID) -> list[dict[str, Any]]: ...

    async def drop_held(self, user_id: UserID) -> int: ...


class KernelPersonalData:
    """The kernel's part: direct messages the outbox holds for the person until they are
    back on duty. What the bot already sent lives in the rooms' history on the homeserver."""

    def __init__(self, outbox: HeldDirectMessages, catalogue: Catalogue) -> None:
        self.outbox = outbox
        self.catalogue = catalogue

    async def export_person(self, user: UserID) -> Mapping[str, Rows]:
        return {"held_direct_messages": await self.outbox.held_for(user)}

    async def forget_person(self, user: UserID) -> int:
        return await self.outbox.drop_held(user)

    def what_stays(self, lang: str) -> Sequence[str]:
        return [self.catalogue.translator(lang)("personal_data.stays.room_history")]

    def titles(self, lang: str) -> Mapping[str, str]:
        return catalogue_titles(self.catalogue, lang, "personal_data.title", SECTIONS)


SECTIONS = ("held_direct_messages",)
