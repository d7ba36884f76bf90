"""Admin settings of the stand-up plugin: the ``[plugins.standup]`` section."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, Field, field_validator

from homeoffice_bot.kernel.ids import is_user_id


class StandupSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_window_seconds: int = Field(default=60, ge=1, le=3600)
    """The shortest window a moderator may set. Below 60, lengths in seconds ("20s") are
    accepted: meant for demos and tests, not for teams."""
    kickoff_grace_minutes: int = Field(default=30, ge=0, le=720)
    """A kickoff missed while the bot was down is still posted (once) this long after
    its time; later it is left out."""
    retention_days: int = Field(default=30, ge=1, le=3650)
    """Closed rounds (their answers, live notes and direct-chat prompts) and absences that
    ended longer ago than this are deleted daily. Reports already posted stay in the
    rooms' history on the homeserver."""
    purge_at: time = time(3, 45)
    """Local time (bot default time zone) of the daily purge."""
    bots: list[str] = Field(default_factory=list)
    """Other bots in team rooms: never asked (the bot itself never is)."""

    @field_validator("bots")
    @classmethod
    def _check_mxids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not is_user_id(value):
                raise ValueError(f"{value!r} is not a full Matrix ID such as @bridge:example.org")
        return values
