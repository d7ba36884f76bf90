"""The ``[plugins.workday]`` settings section; every key is optional."""

from __future__ import annotations

from datetime import time, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.workday.hours import DEFAULT_HOURS_SPEC, WorkingHours, parse_working_hours


class WorkdaySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_hours: str = DEFAULT_HOURS_SPEC
    """Working hours of a person who set none and whose team has no default."""
    end_of_day_reminder_minutes: int = Field(default=15, ge=0, le=240)
    """How long before the end of working hours the private reminder comes (0: none)."""
    wrapup_question: bool = True
    """Ask "Was willst du dir für den nächsten Arbeitstag merken?" with the end-of-day reminder."""
    auto_off_grace_minutes: int = Field(default=60, ge=1, le=24 * 60)
    """Switch to off this long after the end of working hours when inactive."""
    arbzg_lead_minutes: int = Field(default=15, ge=0, le=120)
    """How long before a break or 10-hour limit the private note comes."""
    retention_days: int = Field(default=30, ge=1, le=3650)
    """Presence history, notes and collected mentions older than this are deleted daily."""
    purge_at: time = time(3, 30)
    """Local time (bot default time zone) of the daily purge."""
    tick_seconds: float = Field(default=60.0, gt=0, le=3600)
    """How soon a person is looked at again when a look at them failed (the bot otherwise
    wakes at each person's due time, see ``workday.due``)."""
    delete_confirm_minutes: int = Field(default=10, ge=1, le=120)

    @field_validator("default_hours")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        try:
            parse_working_hours(value)
        except ParseError as exc:
            raise ValueError(f"not a working-hours specification: {value!r}") from exc
        return value

    @property
    def hours(self) -> WorkingHours:
        return parse_working_hours(self.default_hours)

    @property
    def day_end_lead(self) -> timedelta:
        return timedelta(minutes=self.end_of_day_reminder_minutes)

    @property
    def auto_off_grace(self) -> timedelta:
        return timedelta(minutes=self.auto_off_grace_minutes)

    @property
    def arbzg_lead(self) -> timedelta:
        return timedelta(minutes=self.arbzg_lead_minutes)
