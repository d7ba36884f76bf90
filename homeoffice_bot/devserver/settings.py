"""Bot settings for a bot on a development homeserver (tests, the demo, benchmarks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from homeoffice_bot.devserver.postgres import harness_database
from homeoffice_bot.settings import (
    BotSettings,
    MatrixSettings,
    PluginsSettings,
    Settings,
    StorageSettings,
    WebSettings,
)


def dev_bot_settings(
    homeserver: str,
    user_id: str,
    password: str,
    data_dir: Path,
    *,
    bot: dict[str, Any] | None = None,
    plugins: dict[str, Any] | None = None,
    web: bool = True,
    sync_timeout_ms: int = 2_000,
    encryption: bool = True,
) -> Settings:
    """Settings with a short sync timeout (quick stops) and the web server on a free port;
    the database is the one the test harness selected (devserver/postgres.py)."""
    return Settings(
        matrix=MatrixSettings(
            homeserver=homeserver,
            user_id=user_id,
            password=SecretStr(password),
            sync_timeout_ms=sync_timeout_ms,
            encryption=encryption,
        ),
        bot=BotSettings(**(bot or {})),
        storage=StorageSettings(
            data_dir=data_dir,
            database=str(harness_database(data_dir / "homeoffice.sqlite3", data_dir)),
        ),
        web=WebSettings(enabled=web, port=0),
        plugins=PluginsSettings(**(plugins or {})),
    )
