"""The help in tiers: ``!hilfe`` shows the few everyday commands the reader may use and
how to see the rest; ``!hilfe alles`` lists every command, grouped by who may use it,
said in words."""

from __future__ import annotations

from homeoffice_bot.kernel.command_model import Command, Permission
from homeoffice_bot.kernel.commands import render_help_all, render_help_overview
from homeoffice_bot.kernel.core_plugin import LOCALES
from homeoffice_bot.kernel.i18n import Catalogue

CATALOGUE = Catalogue.from_folder(LOCALES)


def _command(de: str, en: str, permission: Permission, *, everyday: bool = False) -> Command:
    return Command(
        names={"de": (de,), "en": (en,)},
        help={"de": f"Hilfe zu {de}.", "en": f"Help on {en}."},
        permission=permission,
        everyday=everyday,
    )


COMMANDS = [
    _command("moin", "start", Permission.MEMBER, everyday=True),
    _command("pause", "break", Permission.MEMBER, everyday=True),
    _command("arbeitszeit", "hours", Permission.MEMBER),
    _command("einrichten", "setup", Permission.MODERATOR, everyday=True),
    _command("sprache", "language", Permission.MODERATOR),
    _command("admin", "admin", Permission.BOT_ADMIN),
]


def test_members_see_only_the_everyday_commands_and_how_to_see_the_rest() -> None:
    text = render_help_overview(COMMANDS, "de", "!", CATALOGUE.translator("de"))
    assert "`!moin` — Hilfe zu moin." in text
    assert "`!pause`" in text
    assert "!arbeitszeit" not in text
    assert "!einrichten" not in text  # the moderation's, not a member's
    assert "!sprache" not in text
    assert "!admin" not in text
    assert "`!hilfe alles`" in text
    assert "`!hilfe <Befehl>`" in text


def test_the_moderation_also_sees_its_everyday_commands_said_in_words() -> None:
    text = render_help_overview(
        COMMANDS, "de", "!", CATALOGUE.translator("de"), permission=Permission.MODERATOR
    )
    assert "`!einrichten` — Hilfe zu einrichten. (nur für die Moderation)" in text
    assert text.index("!moin") < text.index("!einrichten")  # members' commands first
    assert "!sprache" not in text
    assert "🛡" not in text


def test_everything_grouped_with_the_permissions_in_words() -> None:
    text = render_help_all(COMMANDS, "de", "!", CATALOGUE.translator("de"))
    everyone, rest = text.split("Nur für die Moderation dieses Raums:")
    moderation, admins = rest.split("Nur für Bot-Admins:")
    assert "Für alle:" in everyone
    assert all(f"!{name}" in everyone for name in ("moin", "pause", "arbeitszeit"))
    assert "!einrichten" in moderation
    assert "!sprache" in moderation
    assert "!admin" in admins
    assert "🛡" not in text
    assert "🔧" not in text


def test_english_help_names_and_groups() -> None:
    tr = CATALOGUE.translator("en")
    short = render_help_overview(COMMANDS, "en", "!", tr)
    assert "`!start`" in short
    assert "`!help all`" in short
    everything = render_help_all(COMMANDS, "en", "!", tr)
    assert "Only for the moderators of this room:" in everything
    assert "Only for bot admins:" in everything
    assert "`!language`" in everything


def test_a_group_without_commands_is_left_out() -> None:
    text = render_help_all(COMMANDS[:3], "de", "!", CATALOGUE.translator("de"))
    assert "Moderation" not in text
    assert "Bot-Admins" not in text
