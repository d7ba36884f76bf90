"""Command line: ``homeoffice-bot run | check-config | version | publish | migrate-storage |
demo``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from homeoffice_bot import __version__
from homeoffice_bot.kernel.errors import BotError, ConfigError
from homeoffice_bot.settings import Settings, load_settings

log = logging.getLogger("homeoffice_bot")

CONFIG_HELP = "TOML settings file (or HOMEOFFICE_CONFIG)"


def _configure_logging(settings: Settings | None) -> None:
    from homeoffice_bot.logging_setup import configure_logging

    if settings is None:
        configure_logging("INFO", "plain")
    else:
        configure_logging(settings.logging.level, settings.logging.format)


async def _run(settings: Settings) -> int:
    from homeoffice_bot.app import App

    app = App(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, app.request_stop)
    try:
        await app.start()
        if app.active.held:
            log.info("homeoffice-bot %s running as %s", __version__, settings.matrix.user_id)
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


def cmd_publish(args: argparse.Namespace) -> int:
    """Render the #DigitalNah page and feeds once from the database (no Matrix login)."""
    settings = load_settings(args.config)
    _configure_logging(settings)
    if "digitalnah" not in settings.plugins.enabled:
        raise ConfigError("plugins.enabled", "the digitalnah plugin is not enabled")
    try:
        from digitalnah.offline import publish_from_settings
    except ImportError:
        raise ConfigError("plugins.enabled", "the digitalnah plugin is not installed") from None
    out_dir, count = asyncio.run(publish_from_settings(settings))
    print(f"published {count} #DigitalNah offerings into {out_dir}")
    return 0


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


def build_parser() -> argparse.ArgumentParser:
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
    sub.add_parser(
        "publish",
        parents=[with_config],
        help="render the #DigitalNah page and feeds once from the database",
    ).set_defaults(func=cmd_publish)
    demo = sub.add_parser("demo", help="play a team conversation on a local homeserver")
    demo.add_argument("--keep", action="store_true", help="keep everything running afterwards")
    demo.add_argument("--workdir", type=Path, default=None, help="folder for the demo's data")
    demo.add_argument("--verbose", action="store_true", help="show the bot's log")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
