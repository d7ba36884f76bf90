"""Admin commands: the bot's state, its rooms, leaving a room, database backups."""

from __future__ import annotations
