"""Settings: a TOML file plus environment variables, validated by pydantic.

Sources, strongest first: environment variables (``HOMEOFFICE_`` prefix, nested with
``__``, e.g. ``HOMEOFFICE_MATRIX__USER_ID``), then the TOML file given by ``--config``
or ``HOMEOFFICE_CONFIG``, then defaults. Secrets can also be read from files: every
secret field ``x`` has a sibling ``x_file`` (``HOMEOFFICE_MATRIX__PASSWORD_FILE``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic import model_validator as _model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from homeoffice_bot.kernel.errors import ConfigError
from homeoffice_bot.kernel.holiday_regions import normalise_region
from homeoffice_bot.kernel.ids import is_user_id
from homeoffice_bot.kernel.validators import check_http_url, check_timezone

CONFIG_ENV = "HOMEOFFICE_CONFIG"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _read_secret_file(path: str | None, field: str) -> SecretStr | None:
    if path is None:
        return None
    try:
        return SecretStr(Path(path).read_text(encoding="utf-8").strip())
    except OSError as exc:
        raise ValueError(f"cannot read {field}_file {path!r}: {exc.strerror}") from exc


def read_secret(variable: str) -> str | None:
    """A secret from the environment variable or from the file named by ``<variable>_FILE``
    (for commands that run without the bot's full settings)."""
    if os.environ.get(variable):
        return os.environ[variable]
    secret = _read_secret_file(os.environ.get(f"{variable}_FILE"), variable.lower())
    return secret.get_secret_value() if secret else None


class MatrixSettings(_Section):
    homeserver: str = Field(
        description="Client-server API base URL, e.g. https://matrix.example.org"
    )
    user_id: str = Field(description="The bot's MXID, e.g. @homeoffice:example.org")
    password: SecretStr | None = None
    password_file: str | None = None
    access_token: SecretStr | None = None
    access_token_file: str | None = None
    device_name: str = "homeoffice-bot"
    store_dir: Path | None = None
    """Encryption store; defaults to <data_dir>/store."""
    pickle_key: SecretStr | None = None
    """Encrypts the encryption store; generated and kept in the data dir when not set."""
    pickle_key_file: str | None = None
    encryption: bool = True
    unverified_devices: Literal["allow", "block"] = "allow"
    """allow: share room keys with devices nobody verified (what most teams need);
    block: only with verified devices."""
    sync_timeout_ms: int = Field(default=30_000, ge=1_000, le=120_000)

    @field_validator("homeserver")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return check_http_url(value).rstrip("/")

    @field_validator("user_id")
    @classmethod
    def _check_mxid(cls, value: str) -> str:
        if not is_user_id(value):
            raise ValueError("must be a full Matrix ID such as @homeoffice:example.org")
        return value

    @_model_validator(mode="after")
    def _secrets_from_files(self) -> MatrixSettings:
        for name in ("password", "access_token", "pickle_key"):
            from_file = _read_secret_file(getattr(self, f"{name}_file"), name)
            if from_file is not None and getattr(self, name) is None:
                setattr(self, name, from_file)
        if self.password is None and self.access_token is None:
            raise ValueError("set password (or password_file) or access_token")
        return self


class BotSettings(_Section):
    command_prefix: str = Field(default="!", min_length=1, max_length=3)
    admins: list[str] = Field(default_factory=list)
    """MXIDs of bot admins: may run every command everywhere."""
    allowed_inviters: list[str] = Field(default_factory=list)
    """MXIDs whose invites the bot accepts (bot admins always may invite)."""
    allowed_servers: list[str] = Field(default_factory=list)
    """Server names whose users may invite the bot, e.g. ["paderborn.de"]."""
    default_language: Literal["de", "en"] = "de"
    default_timezone: str = "Europe/Berlin"
    default_holiday_region: str = "DE-NW"
    moderator_power_level: int = Field(default=50, ge=0, le=100)
    admin_room: str | None = None
    standby: bool = False
    """Only one process per account is active. false: a second one refuses to start;
    true: it waits as a standby (/healthz says ``standby``) and takes over when the
    active one ends. A standby needs the same data folder (the encryption store)."""
    degraded_after_seconds: float = Field(default=60, gt=0)
    """/healthz says degraded (503) while the homeserver has been unreachable, or a send
    has waited in the outbox, for longer than this."""

    @field_validator("admins", "allowed_inviters")
    @classmethod
    def _check_mxids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not is_user_id(value):
                raise ValueError(f"{value!r} is not a full Matrix ID such as @lead:example.org")
        return values

    @field_validator("default_timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("default_holiday_region")
    @classmethod
    def _check_region(cls, value: str) -> str:
        return normalise_region(value)  # UnknownRegion is a ValueError with the known ones


class StorageSettings(_Section):
    data_dir: Path = Path("data")
    database: str | None = None
    """An SQLite file path (default ``<data_dir>/homeoffice.sqlite3``; a relative path is
    inside data_dir) or a PostgreSQL URL ``postgresql://user@host:5432/dbname``."""
    database_password: SecretStr | None = None
    """The PostgreSQL password, when it is not in the URL."""
    database_password_file: str | None = None

    @field_validator("database")
    @classmethod
    def _check_database(cls, value: str | None) -> str | None:
        if (
            value is not None
            and "://" in value
            and not value.startswith(("postgresql://", "postgres://"))
        ):
            raise ValueError("must be an SQLite file path or a postgresql:// URL")
        return value or None

    @_model_validator(mode="after")
    def _password_from_file(self) -> StorageSettings:
        from_file = _read_secret_file(self.database_password_file, "database_password")
        if from_file is not None and self.database_password is None:
            self.database_password = from_file
        return self

    @property
    def database_target(self) -> str | Path:
        """The PostgreSQL URL, or the SQLite file's path."""
        if self.database is not None and self.database.startswith(("postgresql:", "postgres:")):
            return self.database
        return self.data_dir / (self.database or "homeoffice.sqlite3")


class WebSettings(_Section):
    enabled: bool = True
    bind: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str | None = None
    """Base URL under which the web server is reachable from outside (for links)."""


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["plain", "json"] = "plain"


class PluginsSettings(BaseModel):
    """``enabled`` names the optional plugins to load; each may have its own section."""

    model_config = ConfigDict(extra="allow")

    enabled: list[str] = Field(default_factory=list)
    dirs: list[Path] = Field(default_factory=list)

    def section(self, name: str) -> Mapping[str, Any]:
        extra = self.model_extra or {}
        value = extra.get(name, {})
        return value if isinstance(value, Mapping) else {}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HOMEOFFICE_",
        env_nested_delimiter="__",
        extra="forbid",
        nested_model_default_partial_update=True,
    )

    matrix: MatrixSettings
    bot: BotSettings = Field(default_factory=BotSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    plugins: PluginsSettings = Field(default_factory=PluginsSettings)

    @property
    def data_dir(self) -> Path:
        return self.storage.data_dir

    @property
    def store_dir(self) -> Path:
        return self.matrix.store_dir or self.storage.data_dir / "store"


def _format_error(error: ValidationError) -> ConfigError:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(root)"
    message = first["msg"].removeprefix("Value error, ")
    return ConfigError(key, message)


def load_settings(config_path: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from the environment and the TOML file; raise ConfigError naming the key."""
    if config_path is None and os.environ.get(CONFIG_ENV):
        config_path = Path(os.environ[CONFIG_ENV])
    if config_path is not None and not config_path.is_file():
        raise ConfigError("--config", f"no such file: {config_path}")
    toml_path = config_path

    class _FromSources(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
            if toml_path is not None:
                sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
            return tuple(sources)

    try:
        return _FromSources(**overrides)
    except ValidationError as exc:
        raise _format_error(exc) from None
    except ValueError as exc:  # malformed TOML
        raise ConfigError(str(config_path), str(exc)) from None
