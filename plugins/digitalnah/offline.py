"""``homeoffice-bot publish``: render the page and feeds once from the database, without
logging in to Matrix (e.g. after restoring a backup, or to rebuild the files by hand).
The webhook is not called from here. The host provides the database, the settings, the
plugin's data folder and the base URL (``homeoffice_bot.kernel.offline``)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from digitalnah.publisher import output_dir, publish_files, site_settings
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import OfferingStore
from homeoffice_bot.kernel.offline import OfflineContext
from homeoffice_bot.kernel.plugins import CliCommand


async def publish(ctx: OfflineContext[DigitalNahSettings]) -> tuple[Path, int]:
    """Write every output file; returns the output directory and how many offerings are
    published."""
    own = ctx.settings
    target = output_dir(own, ctx.data_dir)
    result = await publish_files(
        OfferingStore(ctx.db),
        site_settings(own, ctx.base_url),
        target,
        now=datetime.now(UTC),
        template_dir=own.template_dir,
        page_size=own.page_size,
    )
    return target, result.count


async def _publish_command(ctx: OfflineContext[DigitalNahSettings], _: argparse.Namespace) -> int:
    target, count = await publish(ctx)
    print(f"published {count} #DigitalNah offerings into {target}")
    return 0


PUBLISH = CliCommand(
    name="publish",
    help="render the #DigitalNah page and feeds once from the database",
    run=_publish_command,
)
