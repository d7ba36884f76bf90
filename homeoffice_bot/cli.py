"""Command line: ``homeoffice-bot run | check-config | version | migrate-storage | demo``,
and the subcommands plugins add (``Plugin.cli_commands``, e.g. #DigitalNah's ``publish``).
The CLI imports no plugin by name: it lists the installed and enabled ones and dispatches
to their commands through ``homeoffice_bot.kernel.offline``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from homeoffice_bot import __version__
from homeoffice_bot.kernel.errors import BotError, ConfigError
from homeoffice_bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from homeoffice_bot.kernel.plugins import Plugin

log = logging.getLogger("homeoffice_bot")
CORE_COMMANDS = ("run", "check-config", "version", "migrate-storage", "demo")

CONFIG_HELP = "TOML settings file (or HOMEOFFICE_CONFIG)"


def _configure_logging(settings: Settings | None) -> None:
    from homeoffice_bot.logging_setup import configure_logging

    if settings is None:
        configure_logging("INFO", "plain")
    else:
        configure_logging(settings.logging.level, settings.logging.format)


async def _run(settings: Settings) -> int:
    from homeoffice_bot.app import App
    from homeoffice_bot.kernel.memory import freeze_when

    app = App(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, app.request_stop)
    try:
        await app.start()
        if app.active.held:
            log.info("homeoffice-bot %s running as %s", __version__, settings.matrix.user_id)
            app.tasks.spawn(freeze_when(app.matrix.synced), "freeze the start's objects (gc)")
            await app.run_until_stopped()
    finally:
        if app.active.held:
            log.info("stopping")
        await app.stop()
    if app.active.lost.is_set():
        log.error("stopped because the active lock was lost")
        return 1
    if app.sync_error is not None:  # stopped on its own: a service manager should notice
        log.error("stopped because the sync loop failed: %s", app.sync_error)
        return 1
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    _configure_logging(settings)
    return asyncio.run(_run(settings))


def cmd_check_config(args: argparse.Namespace) -> int:
    """The same validation as ``run`` (every plugin's settings, built-ins included), and an
    enabled plugin that is not installed is an error; nothing is started."""
    settings = load_settings(args.config)
    from homeoffice_bot.app import BUILTIN_PLUGINS
    from homeoffice_bot.kernel.plugins import plugin_classes, plugin_settings

    plugins = settings.plugins
    for cls in plugin_classes(BUILTIN_PLUGINS, plugins.enabled, plugins.dirs, strict=True):
        plugin_settings(cls, plugins.section(cls.name))
    print(f"configuration is valid: bot {settings.matrix.user_id} on {settings.matrix.homeserver}")
    return 0


def cmd_plugin(args: argparse.Namespace) -> int:
    """A plugin's subcommand: on the host's offline context, without a Matrix login."""
    from homeoffice_bot.app import BUILTIN_PLUGINS
    from homeoffice_bot.kernel.offline import check_enabled, run_cli_command
    from homeoffice_bot.kernel.plugins import load_builtin

    settings = load_settings(args.config)
    _configure_logging(settings)
    plugin: type[Plugin] = args.plugin
    check_enabled(settings, plugin, [load_builtin(path) for path in BUILTIN_PLUGINS])
    return asyncio.run(run_cli_command(settings, plugin, args.plugin_command, args))


def cmd_migrate_storage(args: argparse.Namespace) -> int:
    """Copy an SQLite database into an empty PostgreSQL one (the bot stopped meanwhile)."""
    from homeoffice_bot.migrate_storage import migrate_storage
    from homeoffice_bot.settings import read_secret

    _configure_logging(None)
    source: str | Path = args.source if args.source.startswith("postgres") else Path(args.source)
    target: str | Path = args.target if args.target.startswith("postgres") else Path(args.target)
    password = read_secret("HOMEOFFICE_STORAGE__DATABASE_PASSWORD")
    dirs = [Path(d) for d in args.plugin_dir]
    counts = asyncio.run(migrate_storage(source, target, password=password, plugin_dirs=dirs))
    width = max((len(table) for table in counts), default=0)
    for table, count in counts.items():
        print(f"{table:<{width}}  {count}")
    print(f"copied {sum(counts.values())} rows in {len(counts)} tables; counts match")
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    print(f"homeoffice-bot {__version__}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from homeoffice_bot.demo.runner import run_demo

    logging.basicConfig(level=logging.WARNING if not args.verbose else logging.INFO)
    if not args.verbose:  # key-sharing chatter is normal in a fresh encrypted room
        logging.getLogger("nio").setLevel(logging.ERROR)
    return asyncio.run(run_demo(keep=args.keep, workdir=args.workdir))


def command_plugins(argv: Sequence[str] | None) -> list[type[Plugin]]:
    """The plugins whose subcommands this command line offers: the built-ins, every
    installed plugin, and the enabled ones of the settings' plugin folders; none for a core
    subcommand (nothing is imported then)."""
    from homeoffice_bot.app import BUILTIN_PLUGINS
    from homeoffice_bot.kernel.plugins import installed_plugins, load_builtin

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config", type=Path, default=None)
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args(argv)
    if known.command in CORE_COMMANDS:
        return []
    enabled: list[str] = []
    dirs: list[Path] = []
    with contextlib.suppress(BotError, OSError):  # the command itself reports a broken file
        plugins = load_settings(known.config).plugins
        enabled, dirs = plugins.enabled, plugins.dirs
    builtins = [load_builtin(path) for path in BUILTIN_PLUGINS]
    return builtins + installed_plugins(enabled, dirs)


def _add_plugin_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    with_config: argparse.ArgumentParser,
    plugins: Sequence[type[Plugin]],
) -> None:
    taken = set(CORE_COMMANDS)
    for plugin in plugins:
        for command in plugin.cli_commands():
            if command.name in taken:
                log.warning("plugin %s: subcommand %r is taken", plugin.name, command.name)
                continue
            taken.add(command.name)
            parser = sub.add_parser(command.name, parents=[with_config], help=command.help)
            if command.arguments is not None:
                command.arguments(parser)
            parser.set_defaults(func=cmd_plugin, plugin=plugin, plugin_command=command)


def build_parser(plugins: Sequence[type[Plugin]] | None = None) -> argparse.ArgumentParser:
    """The parser with the core subcommands and those of ``plugins`` (default: the
    built-ins and every installed plugin)."""
    if plugins is None:
        plugins = command_plugins(None)
    parser = argparse.ArgumentParser(
        prog="homeoffice-bot",
        description="A Matrix bot for remote teams: stand-ups, presence, breaks, boundaries.",
    )
    parser.add_argument("--version", action="version", version=f"homeoffice-bot {__version__}")
    parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    # `--config FILE` may also follow the subcommand (`homeoffice-bot run --config FILE`). Its
    # default is suppressed there so that a `--config` before the subcommand is kept.
    with_config = argparse.ArgumentParser(add_help=False)
    with_config.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=CONFIG_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", parents=[with_config], help="run the bot").set_defaults(func=cmd_run)
    sub.add_parser(
        "check-config", parents=[with_config], help="validate the settings and exit"
    ).set_defaults(func=cmd_check_config)
    sub.add_parser("version", help="print the version").set_defaults(func=cmd_version)
    move = sub.add_parser(
        "migrate-storage",
        help="copy every component's data from SQLite into an empty PostgreSQL database",
    )
    move.add_argument("--from", dest="source", required=True, help="the SQLite file")
    move.add_argument("--to", dest="target", required=True, help="postgresql://user@host/db")
    move.add_argument(
        "--plugin-dir", action="append", default=[], help="a plugin folder (as plugins.dirs)"
    )
    move.set_defaults(func=cmd_migrate_storage)
    demo = sub.add_parser("demo", help="play a team conversation on a local homeserver")
    demo.add_argument("--keep", action="store_true", help="keep everything running afterwards")
    demo.add_argument("--workdir", type=Path, default=None, help="folder for the demo's data")
    demo.add_argument("--verbose", action="store_true", help="show the bot's log")
    demo.set_defaults(func=cmd_demo)
    _add_plugin_commands(sub, with_config, plugins)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser(command_plugins(argv)).parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"configuration error: {exc.key}: {exc.message}", file=sys.stderr)
        return 2
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
