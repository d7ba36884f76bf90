"""Demo scenes, one module per feature, played in the order of ``SCENES``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeoffice_bot.demo.scenes import basics, digitalnah, standup, standup_live, workday
from homeoffice_bot.demo.stage import Stage

Scene = Callable[[Stage], Awaitable[None]]

SCENES: list[Scene] = [basics.play, workday.play, standup.play, standup_live.play, digitalnah.play]
