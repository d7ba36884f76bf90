"""The workday's chat commands, declared once: German names first, English aliases,
typed arguments and permissions. Help texts come from the workday catalogue."""

from __future__ import annotations

from typing import Any

from homeoffice_bot.kernel.argtypes import Choice, RestText, Text, UserMention
from homeoffice_bot.kernel.command_model import Arg, Command, Handler, Permission
from homeoffice_bot.kernel.i18n import LANGUAGES, Catalogue
from homeoffice_bot.workday.presence_commands import PresenceCommands
from homeoffice_bot.workday.privacy_commands import PrivacyCommands
from homeoffice_bot.workday.settings_commands import SettingsCommands

MAX_ARG = 200


def _help(catalogue: Catalogue, key: str) -> dict[str, str]:
    return {lang: catalogue.translator(lang)(f"cmd.{key}.help") for lang in LANGUAGES}


def _rest(name: str, de: str, en: str) -> Arg[str]:
    return Arg(name, RestText(max_length=MAX_ARG), optional=True, label={"de": de, "en": en})


def build_commands(
    catalogue: Catalogue,
    presence: PresenceCommands,
    settings: SettingsCommands,
    privacy: PrivacyCommands,
) -> list[Command]:
    def command(
        de: tuple[str, ...],
        en: tuple[str, ...],
        key: str,
        handler: Handler | None,
        *args: Arg[Any],
        permission: Permission = Permission.MEMBER,
        subcommands: tuple[Command, ...] = (),
        examples: tuple[str, ...] | dict[str, tuple[str, ...]] = (),
        everyday: bool = False,
    ) -> Command:
        return Command(
            names={"de": de, "en": en},
            help=_help(catalogue, key),
            handler=handler,
            args=args,
            permission=permission,
            subcommands=subcommands,
            examples=examples,
            everyday=everyday,
        )

    pause_plan = command(
        ("plan",),
        ("plan", "schedule"),
        "pause_plan",
        settings.break_plan,
        _rest("spec", "Tage Uhrzeit-Uhrzeit|aus", "days time-time|off"),
        examples={
            "de": ("pause plan täglich 12:00-12:30", "pause plan aus"),
            "en": ("break plan daily 12:00-12:30", "break plan off"),
        },
    )
    team_hours = command(
        ("team",),
        ("team",),
        "hours_team",
        settings.team_hours,
        _rest("spec", "Tage Uhrzeit-Uhrzeit", "days time-time"),
        permission=Permission.MODERATOR,
        examples={
            "de": ("arbeitszeit team mo-fr 08:00-16:30",),
            "en": ("hours team mon-fri 08:00-16:30",),
        },
    )
    team_holidays = command(
        ("team",),
        ("team",),
        "holidays_team",
        settings.team_holidays,
        Arg("region", Text(max_length=10), optional=True, label={"de": "Region", "en": "region"}),
        permission=Permission.MODERATOR,
        examples={"de": ("feiertage team DE-BY",), "en": ("holidays team DE-BY",)},
    )
    confirm = command(
        ("bestätigen", "bestaetigen", "ja"),
        ("confirm", "yes"),
        "delete_confirm",
        privacy.confirm_delete,
    )
    switch = Choice(
        {"on": ("an", "ein", "on"), "off": ("aus", "off")},
        labels={"de": {"on": "an", "off": "aus"}, "en": {"on": "on", "off": "off"}},
    )
    workday_switch = Choice(
        {
            "on": ("an", "ein", "on"),
            "off": ("aus", "off"),
            "auto": ("automatisch", "standard", "auto", "automatic", "default"),
        },
        labels={
            "de": {"on": "an", "off": "aus", "auto": "automatisch"},
            "en": {"on": "on", "off": "off", "auto": "auto"},
        },
    )
    return [
        command(
            ("moin", "guten-morgen"),
            ("start",),
            "start",
            presence.start,
            examples={"de": ("moin",), "en": ("start",)},
            everyday=True,
        ),
        command(
            ("pause",),
            ("break",),
            "pause",
            presence.pause,
            _rest("when", "Dauer|bis Uhrzeit", "duration|until time"),
            subcommands=(pause_plan,),
            examples={
                "de": ("pause 15m", "pause bis 12:30"),
                "en": ("break 15m", "break until 12:30"),
            },
            everyday=True,
        ),
        command(
            ("zurück", "zurueck", "wieder-da"), ("back",), "back", presence.back, everyday=True
        ),
        command(
            ("weg",),
            ("away",),
            "away",
            presence.away,
            _rest("rest", "Dauer|bis Uhrzeit] [Grund", "duration|until time] [reason"),
            examples={
                "de": ("weg 1h", "weg bis 14:00 Arzttermin", "weg 1h öffentlich: Kita-Abholung"),
                "en": ("away 1h", "away until 14:00 dentist", "away 1h public: school run"),
            },
            everyday=True,
        ),
        command(("feierabend",), ("off", "done"), "off", presence.off, everyday=True),
        command(
            ("urlaub",),
            ("leave", "vacation"),
            "leave",
            presence.leave,
            _rest("period", "Zeitraum [vertretung @name]|aus", "period [stand-in @name]|off"),
            examples={
                "de": ("urlaub 12.08.–23.08. vertretung @ben:example.org", "urlaub aus"),
                "en": ("leave 12.08.–23.08. stand-in @ben:example.org", "leave off"),
            },
            everyday=True,
        ),
        command(("abwesend",), ("absent",), "absent", presence.absent),
        command(
            ("status",),
            ("status", "who"),
            "status",
            presence.status,
            Arg("who", UserMention(), optional=True),
            examples=("status", "status @anna:example.org"),
            everyday=True,
        ),
        command(
            ("arbeitszeit",),
            ("hours", "working-hours"),
            "hours",
            settings.hours,
            _rest("spec", "Tage Uhrzeit-Uhrzeit", "days time-time"),
            subcommands=(team_hours,),
            examples={
                "de": ("arbeitszeit mo-do 07:30-16:00, fr 07:30-13:00", "arbeitszeit"),
                "en": ("hours mon-thu 07:30-16:00, fri 07:30-13:00", "hours"),
            },
        ),
        command(
            ("kernzeit",),
            ("core-hours", "corehours"),
            "core",
            settings.core,
            _rest("spec", "Tage Uhrzeit-Uhrzeit|aus", "days time-time|off"),
            permission=Permission.MODERATOR,
            examples={
                "de": ("kernzeit mo-fr 09:00-14:00", "kernzeit aus"),
                "en": ("core-hours mon-fri 09:00-14:00", "core-hours off"),
            },
        ),
        command(
            ("zeitzone",),
            ("timezone", "tz"),
            "timezone",
            settings.timezone,
            Arg("zone", Text(max_length=64), optional=True, label={"de": "Zone", "en": "zone"}),
            examples={
                "de": ("zeitzone", "zeitzone Europe/Berlin", "zeitzone standard"),
                "en": ("timezone", "timezone Europe/Berlin", "timezone default"),
            },
        ),
        command(
            ("feiertage",),
            ("holidays",),
            "holidays",
            settings.holidays,
            Arg(
                "region", Text(max_length=10), optional=True, label={"de": "Region", "en": "region"}
            ),
            subcommands=(team_holidays,),
            examples={"de": ("feiertage DE-NW",), "en": ("holidays DE-NW",)},
        ),
        command(
            ("arbzg",),
            ("arbzg", "working-time-notes"),
            "arbzg",
            settings.arbzg,
            Arg("switch", switch, optional=True),
            examples={"de": ("arbzg aus", "arbzg an"), "en": ("arbzg off", "arbzg on")},
        ),
        command(
            ("erinnerungen",),
            ("reminders",),
            "reminders",
            settings.reminders,
            _rest(
                "choice",
                "feierabend|standup|sammlung|alle] [an|aus",
                "end-of-day|standup|digest|all] [on|off",
            ),
            examples={
                "de": ("erinnerungen", "erinnerungen feierabend aus", "erinnerungen sammlung an"),
                "en": ("reminders", "reminders end-of-day off", "reminders digest on"),
            },
        ),
        command(
            ("dringend",),
            ("urgent",),
            "urgent",
            settings.urgent,
            Arg(
                "keyword",
                RestText(max_length=MAX_ARG),
                optional=True,
                label={"de": "Wort|aus", "en": "word|off"},
            ),
            permission=Permission.MODERATOR,
            examples={
                "de": ("dringend #dringend", "dringend aus"),
                "en": ("urgent #urgent", "urgent off"),
            },
        ),
        command(
            ("übersicht", "uebersicht", "teamübersicht", "teamuebersicht"),
            ("board", "overview"),
            "board",
            settings.board,
            Arg("switch", workday_switch, optional=True),
            permission=Permission.MODERATOR,
            examples={
                "de": ("übersicht aus", "übersicht an", "übersicht automatisch"),
                "en": ("board off", "board on", "board auto"),
            },
        ),
        command(("meine-daten",), ("my-data",), "my_data", privacy.my_data),
        command(
            ("daten-löschen", "daten-loeschen"),
            ("delete-my-data",),
            "delete_data",
            privacy.delete_data,
            subcommands=(confirm,),
            examples={
                "de": ("daten-löschen", "daten-löschen bestätigen"),
                "en": ("delete-my-data", "delete-my-data confirm"),
            },
        ),
    ]
