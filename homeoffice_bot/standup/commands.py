"""The ``!standup`` command group: German names first, English aliases, typed arguments.

Members may look (status, report, questions, participants) and report their own
absence; everything that changes a stand-up needs a moderator. Every command takes an
optional ``name=…`` for rooms with several stand-ups (last, or first before free text).
"""

from __future__ import annotations

from typing import Any

from homeoffice_bot.kernel.argtypes import Choice, Integer, RestText, Text, UserMention, Weekdays
from homeoffice_bot.kernel.command_model import Arg, Command, Handler, Permission
from homeoffice_bot.kernel.dateargs import Date, DateRange
from homeoffice_bot.standup.argtypes import (
    KickoffTime,
    Questions,
    ReminderPercent,
    StandupName,
    UntilDate,
    WindowLength,
)
from homeoffice_bot.standup.config import MAX_QUESTION_LENGTH
from homeoffice_bot.standup.run_commands import RunHandlers
from homeoffice_bot.standup.setup_commands import SetupHandlers

MOD = Permission.MODERATOR
MEMBER = Permission.MEMBER

NAME = Arg("name", StandupName(), optional=True)
USER = Arg("user", UserMention(), label={"de": "@Person", "en": "@user"})
MODES = Choice(
    {"written": ("schriftlich", "text"), "live": ("call", "video"),
     "both": ("beides", "beide", "schriftlich+live")},
    labels={"de": {"written": "schriftlich", "live": "live", "both": "beides"}},
)  # fmt: skip
CHANNELS = Choice(
    {"thread": ("faden",), "dm": ("direkt", "direktnachricht", "pn", "privat", "direct")},
    labels={"de": {"thread": "thread", "dm": "direkt"}},
)
FORMATS = Choice(
    {"by_person": ("person", "personen", "people"), "by_question": ("frage", "fragen", "question")},
    labels={"de": {"by_person": "person", "by_question": "frage"},
            "en": {"by_person": "person", "by_question": "question"}},
)  # fmt: skip
TARGETS = Choice({"thread": ("faden",), "room": ("raum",)},
                 labels={"de": {"thread": "thread", "room": "raum"}})  # fmt: skip
MENTIONS = Choice(
    {"room": ("@room", "alle", "all", "raum"), "personal": ("einzeln", "persönlich", "single")},
    labels={"de": {"room": "@room", "personal": "einzeln"},
            "en": {"room": "@room", "personal": "personal"}},
)  # fmt: skip

SWITCH = Choice(
    {"on": ("an", "ein", "on"), "off": ("aus", "off")},
    labels={"de": {"on": "an", "off": "aus"}, "en": {"on": "on", "off": "off"}},
)
OPEN_ANSWERS = Choice(
    {"names": ("namen", "name", "names"), "count": ("anzahl", "zahl", "count", "number")},
    labels={"de": {"names": "namen", "count": "anzahl"},
            "en": {"names": "names", "count": "count"}},
)  # fmt: skip
WORKS_AGREEMENT = {  # these settings can monitor behaviour: co-determination (§ 80 BPersVG)
    "de": " Einschalten nur mit einer Dienstvereinbarung.",
    "en": " Turn on only under a works agreement (Dienstvereinbarung).",
}


def _cmd(
    de: tuple[str, ...],
    en: tuple[str, ...],
    help_de: str,
    help_en: str,
    handler: Handler | None,
    *args: Arg[Any],
    permission: Permission = MOD,
    subcommands: tuple[Command, ...] = (),
    examples: tuple[str, ...] | dict[str, tuple[str, ...]] = (),
) -> Command:
    return Command(
        names={"de": de, "en": en}, help={"de": help_de, "en": help_en}, handler=handler,
        args=args, permission=permission, subcommands=subcommands, examples=examples,
    )  # fmt: skip


def _people(group_de: str, group_en: str, who_de: str, what_de: str, what_en: str,
            add: Handler, remove: Handler, listing: Handler) -> Command:  # fmt: skip
    """A list of people: ``who_de`` in the accusative ("die Teilnehmenden"), ``what_de`` in
    the dative ("den Teilnehmenden")."""
    return _cmd(
        (group_de,), (group_en,), f"Zeigt {who_de}.", f"Shows {what_en}.", listing, NAME,
        permission=MEMBER,
        subcommands=(
            _cmd(("hinzufügen", "hinzufuegen", "plus"), ("add",),
                 f"Nimmt jemanden zu {what_de} auf.", f"Adds someone to {what_en}.", add, USER,
                 NAME),
            _cmd(("entfernen", "minus"), ("remove",), f"Nimmt jemanden aus {what_de} heraus.",
                 f"Removes someone from {what_en}.", remove, USER, NAME),
        ),
    )  # fmt: skip


def standup_command(setup: SetupHandlers, run: RunHandlers, window: WindowLength) -> Command:
    s, r = setup, run
    subcommands = (
        _cmd(("einrichten",), ("schedule", "setup"), "Richtet ein Stand-up ein.",
             "Sets up a stand-up.", s.setup,
             Arg("time", KickoffTime()), Arg("days", Weekdays(), optional=True), NAME,
             examples={"de": ("standup einrichten 09:00 mo-fr",
                              "standup einrichten 6:30 mo-fr name=früh"),
                       "en": ("standup schedule 09:00 mon-fri",
                              "standup schedule 6:30 mon-fri name=early")}),
        _cmd(("zeit", "uhrzeit"), ("time",), "Ändert die Uhrzeit.", "Changes the time.", s.time,
             Arg("time", KickoffTime()), NAME),
        _cmd(("tage", "wochentage"), ("days", "weekdays"), "Ändert die Wochentage.",
             "Changes the weekdays.", s.days, Arg("days", Weekdays()), NAME),
        _cmd(("zeitzone",), ("timezone", "tz"), "Ändert die Zeitzone (z. B. Europe/Berlin).",
             "Changes the time zone (e.g. Europe/Berlin).", s.timezone,
             Arg("zone", Text(max_length=64), label={"de": "Zeitzone", "en": "zone"}), NAME),
        _cmd(("dauer",), ("window", "length"), "Wie lange Antworten gesammelt werden.",
             "How long answers are collected.", s.window, Arg("length", window), NAME,
             examples={"de": ("standup dauer 15 min",),
                       "en": ("standup window 15 min",)}),
        _cmd(("modus",), ("mode",), "Schriftlich, live (Call) oder beides.",
             "Written, live (call) or both.", s.mode, Arg("mode", MODES), NAME),
        _cmd(("fragen",), ("questions",), "Zeigt die Fragen.", "Shows the questions.",
             s.questions_list, NAME, permission=MEMBER, subcommands=(
                 _cmd(("setzen",), ("set",), "Ersetzt die Fragen (getrennt durch |).",
                      "Replaces the questions (separated by |).", s.questions_set, NAME,
                      Arg("questions", Questions(), multiline=True)),
                 _cmd(("hinzufügen", "hinzufuegen", "plus"), ("add",), "Fügt eine Frage an.",
                      "Adds a question.", s.questions_add, NAME,
                      Arg("question", RestText(max_length=MAX_QUESTION_LENGTH),
                          label={"de": "Frage", "en": "question"})),
                 _cmd(("entfernen", "minus"), ("remove",), "Entfernt Frage Nummer n.",
                      "Removes question number n.", s.questions_remove,
                      Arg("number", Integer(min=1, max=10), label={"de": "Nummer", "en": "number"}),
                      NAME),
                 _cmd(("zurücksetzen", "zuruecksetzen", "standard"), ("reset", "default"),
                      "Zurück zu den drei Standardfragen.", "Back to the three default questions.",
                      s.questions_reset, NAME),
             ), examples={"de": ("standup fragen setzen Erledigt? | Geplant? | Blockiert?",),
                       "en": ("standup questions set Done? | Planned? | Blocked?",)}),
        _people("teilnehmer", "participants", "die Teilnehmenden", "den Teilnehmenden",
                "the participants", s.participant_add, s.participant_remove,
                s.participants_list),
        _people("beobachter", "observers", "die Beobachtenden (nur Bericht)",
                "den Beobachtenden", "the observers (report only)", s.observer_add,
                s.observer_remove, s.participants_list),
        _cmd(("antworten",), ("answers",), "Antworten im Thread oder per Direktnachricht.",
             "Answers in the thread or by direct message.", s.answers,
             Arg("channel", CHANNELS), NAME),
        _cmd(("format",), ("format",), "Bericht nach Person oder nach Frage.",
             "Report by person or by question.", s.report_format, Arg("format", FORMATS), NAME),
        _cmd(("berichtsziel", "berichtsort"), ("reportto", "report-to"),
             "Bericht im Thread oder im Raum.", "Report in the thread or in the room.",
             s.report_target, Arg("target", TARGETS), NAME),
        _cmd(("zeiten", "antwortzeiten"), ("times",),
             "Antwortzeiten im Bericht und im CSV-Export (Standard: aus)."
             + WORKS_AGREEMENT["de"],
             "Answer times in the report and the CSV export (default: off)."
             + WORKS_AGREEMENT["en"],
             s.report_times, Arg("switch", SWITCH), NAME, examples={"de": ("standup zeiten aus",),
                                                     "en": ("standup times off",)}),
        _cmd(("verspätung", "verspaetung", "verspätet"), ("lateness", "late"),
             "Späte Antworten als „verspätet“ markieren, auch im CSV-Export (Standard: aus)."
             + WORKS_AGREEMENT["de"],
             "Mark late answers as “late”, in the CSV export too (default: off)."
             + WORKS_AGREEMENT["en"],
             s.report_late, Arg("switch", SWITCH), NAME,
             examples={"de": ("standup verspätung aus",), "en": ("standup lateness off",)}),
        _cmd(("offene",), ("open",),
             "Wer noch nicht geantwortet hat: als Anzahl (Standard) oder mit Namen."
             + WORKS_AGREEMENT["de"],
             "Who has not answered yet: as a count (default) or by name."
             + WORKS_AGREEMENT["en"],
             s.report_missing, Arg("how", OPEN_ANSWERS), NAME,
             examples={"de": ("standup offene anzahl",), "en": ("standup open count",)}),
        _cmd(("erinnerung",), ("reminder",), "Erinnerung bei n % der Zeit, oder aus.",
             "Reminder at n % of the time, or off.", s.reminder,
             Arg("percent", ReminderPercent()), Arg("who", MENTIONS, optional=True), NAME,
             examples={"de": ("standup erinnerung 80", "standup erinnerung aus"),
                       "en": ("standup reminder 80", "standup reminder off")}),
        _cmd(("region", "feiertage"), ("region", "holidays"),
             "Feiertagsregion (z. B. DE-NW) oder aus.", "Holiday region (e.g. DE-NW) or off.",
             s.region, Arg("region", Text(max_length=20), label={"de": "Region", "en": "region"}),
             NAME),
        _cmd(("schließtag", "schliesstag"), ("closure",), "Trägt Schließtage ein.",
             "Adds closure days.", s.closure, Arg("dates", DateRange()), NAME,
             subcommands=(
                 _cmd(("entfernen",), ("remove",), "Entfernt Schließtage.",
                      "Removes closure days.", s.closure_remove, Arg("dates", DateRange()), NAME),
             ), examples={"de": ("standup schließtag 24.12.",
                                 "standup schließtag 27.12. bis 31.12."),
                          "en": ("standup closure 2026-12-24",
                                 "standup closure 2026-12-27 to 2026-12-31")}),
        _cmd(("pausieren", "pause"), ("pause",), "Pausiert das Stand-up.",
             "Pauses the stand-up.", s.pause, NAME),
        _cmd(("fortsetzen",), ("resume",), "Setzt das Stand-up fort.", "Resumes the stand-up.",
             s.resume, NAME),
        _cmd(("überspringen", "ueberspringen", "aussetzen"), ("skip",),
             "Lässt einen Tag ausfallen (Standard: heute).", "Skips a day (default: today).",
             s.skip, Arg("date", Date(), optional=True), NAME,
             subcommands=(
                 _cmd(("rückgängig", "rueckgaengig"), ("undo",), "Nimmt das Aussetzen zurück.",
                      "Takes the skip back.", s.unskip, Arg("date", Date()), NAME),
             )),
        _cmd(("tandem",), ("pair", "tandem"),
             "Tägliches Live-Briefing zu zweit bis zu einem Datum, mit Zusammenfassung am Ende.",
             "A daily live briefing of two until a date, with a summary at the end.",
             s.tandem, USER, Arg("until", UntilDate()), NAME,
             examples={"de": ("standup tandem @ben:example.org bis 12.12.",),
                       "en": ("standup pair @ben:example.org until 2026-12-12",)}),
        _cmd(("jetzt", "sofort"), ("now",), "Startet das Stand-up sofort.",
             "Starts the stand-up right now.", r.now, NAME),
        _cmd(("weiter", "nächste", "naechste"), ("next",),
             "Gibt im Live-Stand-up das Wort an die nächste Person.",
             "Hands on to the next speaker of the live stand-up.", r.next_speaker, NAME),
        _cmd(("beenden", "schließen", "schliessen"), ("end", "close"),
             "Beendet das laufende Stand-up jetzt: der Bericht kommt sofort.",
             "Ends the running stand-up now: the report comes at once.", r.end, NAME),
        _cmd(("status",), ("status",), "Einstellungen und nächster Termin.",
             "Settings and next occurrence.", r.status, NAME, permission=MEMBER),
        _cmd(("bericht",), ("report",), "Zeigt einen Bericht (Standard: den letzten).",
             "Shows a report (default: the latest).", r.report,
             Arg("date", Date(), optional=True), NAME, permission=MEMBER),
        _cmd(("export",), ("export",), "Berichte eines Zeitraums als Markdown und CSV.",
             "Reports of a period as Markdown and CSV.", r.export, Arg("dates", DateRange()),
             NAME, examples={"de": ("standup export 01.11. bis 30.11.",),
                             "en": ("standup export 2026-11-01 to 2026-11-30",)}),
        _cmd(("link",), ("link",), "Link zum Call (Jitsi, BigBlueButton …) oder aus.",
             "Link to the call (Jitsi, BigBlueButton …) or off.", s.link,
             Arg("url", Text(max_length=500), label={"de": "URL", "en": "URL"}), NAME),
        _cmd(("löschen", "loeschen"), ("delete",), "Löscht das Stand-up.",
             "Deletes the stand-up.", s.delete, NAME),
        _cmd(("abwesend",), ("absent", "away"),
             "Meldet jemanden (Standard: dich) als abwesend: wird nicht gefragt.",
             "Marks someone (default: you) absent: not asked.", r.absent,
             Arg("user", UserMention(), optional=True, label={"de": "@Person", "en": "@user"}),
             Arg("dates", DateRange(), optional=True), permission=MEMBER,
             examples={"de": ("standup abwesend @anna:example.org 24.11. bis 28.11.",),
                       "en": ("standup absent @anna:example.org 2026-11-24 to 2026-11-28",)}),
        _cmd(("anwesend", "zurück", "zurueck"), ("present", "back"),
             "Nimmt eine Abwesenheit zurück.", "Takes an absence back.", r.present,
             Arg("user", UserMention(), optional=True, label={"de": "@Person", "en": "@user"}),
             Arg("dates", DateRange(), optional=True), permission=MEMBER),
    )  # fmt: skip
    return _cmd(
        ("standup", "stand-up"), ("standup",),
        "Tägliches Stand-up: einrichten, Status, Berichte.",
        "Daily stand-up: set up, status, reports.",
        r.status, NAME, permission=MEMBER, subcommands=subcommands,
        examples={"de": ("standup einrichten 09:00 mo-fr", "standup status", "standup jetzt"),
                  "en": ("standup schedule 09:00 mon-fri", "standup status", "standup now")},
    )  # fmt: skip
