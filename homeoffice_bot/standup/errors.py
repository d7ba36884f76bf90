"""Errors of the stand-up component.

    StandupSettingError   a stand-up setting is invalid (a ValueError and a CommandError)

It carries an i18n key of the stand-up catalogue plus parameters, so the chat layer can
reply in the room's language; ``str(error)`` is a plain English message for logs.
"""

from __future__ import annotations

from typing import Any

from homeoffice_bot.kernel.errors import CommandError


class StandupSettingError(CommandError, ValueError):
    """A stand-up setting is invalid; ``key``/``params`` name the message to show."""

    def __init__(self, key: str, message: str, /, **params: Any) -> None:
        super().__init__(key, **params)
        self.message = message

    def __str__(self) -> str:
        return self.message
