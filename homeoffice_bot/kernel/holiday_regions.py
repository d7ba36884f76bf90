"""The one rule for public-holiday regions: a country (``DE``) or a country and one of its
subdivisions (``DE-NW``), as the ``holidays`` library knows them.

Features turn ``UnknownRegion`` into their own message; settings get its text.
"""

from __future__ import annotations

from functools import lru_cache

import holidays


class UnknownRegion(ValueError):
    """``code`` names no country (``known`` is empty) or no subdivision of ``country``
    (``known`` lists the subdivisions there are)."""

    def __init__(
        self, code: str, country: str, subdivision: str = "", known: tuple[str, ...] = ()
    ) -> None:
        self.code, self.country, self.known = code, country, known
        if known:
            text = (
                f"unknown holiday region {code!r}: {country} has no subdivision {subdivision!r}"
                f" (known: {', '.join(known)})"
            )
        else:
            text = f"unknown holiday region {code!r}: no country {country!r}; use e.g. DE or DE-NW"
        super().__init__(text)


def normalise_region(code: str) -> str:
    """``de-nw`` → ``DE-NW``, ``de`` → ``DE``; ``UnknownRegion`` for anything else."""
    country, _, subdivision = code.strip().partition("-")
    country = country.upper()
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise UnknownRegion(code.strip(), country)
    if not subdivision:
        return country
    known: list[str] = supported[country]
    for name in known:
        if name.casefold() == subdivision.casefold():
            return f"{country}-{name}"
    raise UnknownRegion(code.strip(), country, subdivision, tuple(known))


@lru_cache(maxsize=64)
def holiday_calendar(region: str, language: str | None = None) -> holidays.HolidayBase:
    """The public holidays of a region as ``normalise_region`` spells it, with names in
    ``language`` where the library has them."""
    country, _, subdivision = normalise_region(region).partition("-")
    table: holidays.HolidayBase = holidays.country_holidays(country, subdiv=subdivision or None)
    if language is not None and language in table.supported_languages:
        table = holidays.country_holidays(country, subdiv=subdivision or None, language=language)
    return table
