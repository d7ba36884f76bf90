"""``homeoffice-bot publish``: render the page and feeds once from the database, without
logging in to Matrix (e.g. after restoring a backup, or to rebuild the files by hand).
The webhook is not called from here. The host provides the database, the settings, the
plugin's data folder and the base URL (``homeoffice_bot.kernel.offline``)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from digitalnah.publisher import Published, output_dir, publish_files, site_settings
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import OfferingStore
from homeoffice_bot.kernel.offline import OfflineContext
from homeoffice_bot.kernel.plugins import CliCommand


async def publish(ctx: OfflineContext[DigitalNahSettings]) -> tuple[Path, Published]:
    """Write every output file again (also those that did not change: this is the way to
    rebuild them); returns the output directory and what was published."""
    own = ctx.settings
    target = output_dir(own, ctx.data_dir)
    result = await publish_files(
        OfferingStore(ctx.db),
        site_settings(own, ctx.base_url),
        target,
        now=datetime.now(UTC),
        template_dir=own.template_dir,
        page_size=own.page_size,
        full=True,
    )
    return target, result


async def _publish_command(ctx: OfflineContext[DigitalNahSettings], _: argparse.Namespace) -> int:
    target, result = await publish(ctx)
    print(
        f"published {result.count} #DigitalNah offerings into {target} ({len(result.sizes)} files)"
    )
    return 0


PUBLISH = CliCommand(
    name="publish",
    help="render the #DigitalNah page and feeds once from the database",
    run=_publish_command,
)
