"""homeoffice-bot: a Matrix bot for remote teams in German public administration."""

from __future__ import annotations

__version__ = "0.1.0"
