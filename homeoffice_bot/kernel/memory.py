"""The garbage collector once the bot is up: what the start built is frozen.

CPython's cyclic garbage collector, in a full (oldest generation) collection, visits
every container object the process holds. Right after the start that is mostly what
stays until the bot stops: imported modules and classes (nio, aiohttp, pydantic, the
features), settings, catalogues, the Matrix client's room state. None of it becomes
garbage, yet each full collection walks all of it again, and it happens on the event
loop's thread: in the publishing benchmark (``bench/bench_publish.py --synapse``) such a
collection walked about 112,000 objects in 60–90 ms of CPU, about once in four publishes
of 10,000 offerings, and every command in flight waited for it (1–2 ms after the freeze).

``freeze_when`` waits until the bot has synced for the first time (everything has
started), collects once, then moves every object alive into the permanent generation
(``gc.freeze()``), which no later collection visits: the full collections after it walk
only what the bot made since. The price: a frozen object that becomes garbage later is
not freed by the cycle collector (reference counting still frees it), a little memory
at most, which is why the collection before the freeze clears what the start left.

``homeoffice-bot run`` calls it, the process that is the bot; ``App`` itself does not,
as it also runs inside test and benchmark processes, whose objects of earlier tests must
stay collectable.
"""

from __future__ import annotations

import asyncio
import gc
import logging

log = logging.getLogger(__name__)


def freeze_start_up() -> int:
    """Collect once, then freeze every object alive; returns how many are frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.debug("froze %d objects built at the start out of the garbage collector", frozen)
    return frozen


async def freeze_when(started: asyncio.Event) -> int:
    """``freeze_start_up`` as soon as ``started`` is set (the bot's first sync)."""
    await started.wait()
    return freeze_start_up()
