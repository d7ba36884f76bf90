"""The ``[plugins.digitalnah]`` settings section."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from digitalnah.model import DEFAULT_CATEGORIES
from homeoffice_bot.kernel.ids import is_user_id
from homeoffice_bot.kernel.validators import check_http_url, check_timezone

_ROOM_ID = re.compile(r"^![^:\s]+(:[A-Za-z0-9.\-]+(:\d{1,5})?)?$")
"""``!opaque:server``, or ``!opaque`` alone (room version 12)."""
_PATH = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*$")


class DigitalNahSettings(BaseModel):
    """Where tips are collected, who approves them, where and how they are published."""

    model_config = ConfigDict(extra="forbid")

    rooms: list[str] = Field(default_factory=list)
    """Room IDs watched for #DigitalNah messages; empty: every room the bot is in."""
    categories: list[str] = Field(default_factory=lambda: list(DEFAULT_CATEGORIES), min_length=1)
    moderators: list[str] = Field(default_factory=list)
    """MXIDs (e.g. the CDOs) who may approve besides room moderators and bot admins."""
    review_room: str | None = None
    """Where offerings from the DM assistant are announced for approval; default: the room
    in which ``!angebot assistent`` was typed (or a team room shared with the person)."""

    path: str = "/digitalnah/"
    """Where the bot's web server serves the page and feeds."""
    output_dir: Path | None = None
    """Where the files are written; default ``<data_dir>/plugins/digitalnah/public``."""
    public_url: str | None = None
    """Base URL for links in the page and feeds; default: ``web.public_url``, else
    ``http://<web.bind>:<web.port>``."""
    site_title: str = Field(default="#DigitalNah", min_length=1, max_length=120)
    site_description: str = Field(default="", max_length=1000)
    site_publisher: str = Field(default="", max_length=120)
    """Who publishes, e.g. "Stadt Paderborn" (the feeds' author)."""
    site_language: str = Field(default="de", pattern="^(de|en)$")
    site_timezone: str = "Europe/Berlin"
    template_dir: Path | None = None
    """A folder of own Jinja2 templates (same names as the built-in ones: base.html,
    index.html, category.html, macros.html, style.css) for the city's corporate design."""
    page_size: int = Field(default=50, ge=5, le=50)
    """Offerings per category page (at most 50, so that no page grows past 1 MB)."""

    debounce_seconds: float = Field(default=5.0, gt=0, le=3600)
    """Publish this long after the last change …"""
    max_wait_seconds: float = Field(default=60.0, gt=0, le=3600)
    """… but no later than this after the first unpublished change."""

    webhook_url: str | None = None
    """Receives a POST with the published offerings (JSON, HMAC-SHA256 signed) after each
    change to what is published."""
    webhook_secret: SecretStr | None = None
    webhook_secret_file: str | None = None
    webhook_retry_seconds: list[float] = Field(default_factory=lambda: [0.0, 10.0, 60.0])
    """Wait before each attempt; one attempt per entry."""
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    digest_room: str | None = None
    """Room ID for the weekly digest of new offerings; none: no digest."""
    digest_weekday: int = Field(default=5, ge=1, le=7)
    """ISO weekday (Monday = 1); default Friday."""
    digest_time: time = time(9, 0)
    digest_timezone: str = "Europe/Berlin"

    @field_validator("moderators")
    @classmethod
    def _check_mxids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not is_user_id(value):
                raise ValueError(f"{value!r} is not a full Matrix ID such as @cdo:example.org")
        return values

    @field_validator("rooms")
    @classmethod
    def _check_rooms(cls, values: list[str]) -> list[str]:
        for value in values:
            _room_id(value)
        return values

    @field_validator("review_room", "digest_room")
    @classmethod
    def _check_room(cls, value: str | None) -> str | None:
        return None if value is None else _room_id(value)

    @field_validator("categories")
    @classmethod
    def _check_categories(cls, values: list[str]) -> list[str]:
        cleaned = [" ".join(v.split()) for v in values]
        if any(not v or len(v) > 80 for v in cleaned):
            raise ValueError("every category needs a name of 1 to 80 characters")
        if len({v.casefold() for v in cleaned}) != len(cleaned):
            raise ValueError("categories must be distinct")
        return cleaned

    @field_validator("path")
    @classmethod
    def _check_path(cls, value: str) -> str:
        path = "/" + value.strip("/") + "/" if value.strip("/") else "/"
        if path == "/" or not _PATH.match(path):
            raise ValueError("must be a path like /digitalnah/ (letters, digits, . _ ~ -)")
        return path

    @field_validator("public_url", "webhook_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value)

    @field_validator("site_timezone", "digest_timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("template_dir")
    @classmethod
    def _check_template_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{str(value)!r} is not a folder (of Jinja2 templates)")
        return value

    @field_validator("webhook_retry_seconds")
    @classmethod
    def _check_retries(cls, values: list[float]) -> list[float]:
        if not 1 <= len(values) <= 10 or any(v < 0 or v > 3600 for v in values):
            raise ValueError("give 1 to 10 waits of 0 to 3600 seconds")
        return values

    @model_validator(mode="after")
    def _secret(self) -> DigitalNahSettings:
        if self.webhook_secret is None and self.webhook_secret_file is not None:
            try:
                text = Path(self.webhook_secret_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ValueError(
                    f"cannot read webhook_secret_file {self.webhook_secret_file!r}: {exc.strerror}"
                ) from exc
            self.webhook_secret = SecretStr(text)
        if self.webhook_url is not None and not self.secret:
            raise ValueError("webhook_url needs webhook_secret or webhook_secret_file")
        return self

    @property
    def secret(self) -> str:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else ""


def _room_id(value: str) -> str:
    if not _ROOM_ID.match(value):
        raise ValueError(f"{value!r} is not a room ID such as !abc:example.org")
    return value
