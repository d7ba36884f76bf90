"""Rendering and writing the published files in a process of their own.

The bot starts ``python -m digitalnah.render.worker`` and writes to its standard input,
each pickled: a ``RenderJob``, then batches of raw offering rows (lists of dicts, see
``OfferingStore.rows_after``), then ``None``. The worker, at a lower CPU priority, turns
the rows into offerings, renders what changed since the last publish
(``render.changes``), writes each file atomically into the output directory, then the
manifest (``MANIFEST_FILE``: the published files, where each offering is, and the key
of each page and feed document), removes files of the previous manifest that are no
longer produced, and prints a JSON summary on one line. With ``RenderJob.webhook`` it
also builds the webhook's payload (``digitalnah.webhook.make_payload``): its fingerprint
and count are in the summary, its body follows the summary's line. The bot's event loop
only reads rows and passes them on, a batch at a time, while thousands of offerings are
rendered and serialised (a payload of 10,000 offerings is 7 MiB of JSON: encoding it in
the bot, even in a thread, would hold the interpreter for a fifth of a second)."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digitalnah.catalogue import translator
from digitalnah.model import Offering
from digitalnah.render import MANIFEST_FILE, render_changed
from digitalnah.render.common import SiteSettings, content_type, published
from digitalnah.render.layout import locations as page_locations
from digitalnah.render.layout import plan_categories
from digitalnah.store import offering_from_row
from digitalnah.webhook import make_payload


@dataclass(frozen=True, slots=True)
class RenderJob:
    site: SiteSettings
    generated_at: datetime
    out_dir: Path
    template_dir: Path | None = None
    page_size: int = 50
    webhook: bool = False
    """Also build the webhook's payload."""
    full: bool = False
    """Render every file, also those that did not change."""


def write_outputs(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write every file into ``out_dir``, each replaced atomically (temp file + rename).
    The files are readable by others only where the folder is (one a web server serves);
    inside the bot's private data folder they stay the bot's alone."""
    out_dir.mkdir(parents=True, exist_ok=True)
    file_mode = 0o644 if out_dir.stat().st_mode & stat.S_IROTH else 0o600
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, file_mode)
            os.replace(tmp, out_dir / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def read_manifest(out_dir: Path) -> dict[str, object]:
    """The last manifest written into ``out_dir``; empty when there is none (or it is
    unreadable)."""
    try:
        data = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def kept_keys(out_dir: Path, manifest: Mapping[str, object]) -> dict[str, str]:
    """The manifest's keys of files still in ``out_dir`` (one deleted by hand is
    rendered again)."""
    keys = manifest.get("keys")
    if not isinstance(keys, dict):
        return {}
    return {
        name: key
        for name, key in keys.items()
        if isinstance(name, str) and isinstance(key, str) and (out_dir / name).is_file()
    }


def run_job(job: RenderJob, offerings: list[Offering]) -> tuple[dict[str, object], bytes]:
    """Render what changed since the last publish and write it; returns the summary (how
    many offerings are published, the size of each published file, how many files were
    written, the webhook payload's fingerprint and count) and the webhook payload's body
    (empty without ``job.webhook``)."""
    tr = translator(job.site.language)
    last = read_manifest(job.out_dir)
    rendered = render_changed(
        offerings,
        job.site,
        tr=tr,
        generated_at=job.generated_at,
        template_dir=job.template_dir,
        page_size=job.page_size,
        known=None if job.full else kept_keys(job.out_dir, last),
    )
    write_outputs(job.out_dir, rendered.files)
    items = published(offerings)
    plans = plan_categories(items, job.site.categories, job.page_size)
    names = rendered.names
    manifest = {
        "files": sorted(names),
        "offerings": {str(k): v for k, v in page_locations(plans).items()},
        "keys": rendered.keys,
    }
    write_outputs(job.out_dir, {MANIFEST_FILE: json.dumps(manifest).encode()})
    old = last.get("files", [])
    for name in old if isinstance(old, list) else []:
        if isinstance(name, str) and name not in names and content_type(name):
            with contextlib.suppress(OSError):
                (job.out_dir / name).unlink()
    sizes = {name: len(data) for name, data in rendered.files.items()}
    sizes |= {name: (job.out_dir / name).stat().st_size for name in rendered.kept}
    summary: dict[str, object] = {
        "published": len(items),
        "files": sizes,
        "written": len(rendered.files),
    }
    if not job.webhook:
        return summary, b""
    payload = make_payload(offerings, job.site, job.generated_at)
    summary["webhook"] = {"fingerprint": payload.fingerprint, "count": payload.count}
    return summary, payload.body


NICENESS = 19
"""The worker yields the CPU to the bot (and a homeserver on the same machine)."""


def main() -> int:
    with contextlib.suppress(OSError, AttributeError):  # not everywhere allowed or there
        os.nice(NICENESS)
    stream = sys.stdin.buffer
    job = pickle.load(stream)
    if not isinstance(job, RenderJob):
        print("expected a RenderJob on standard input", file=sys.stderr)
        return 2
    offerings: list[Offering] = []
    while (batch := pickle.load(stream)) is not None:
        offerings += [offering_from_row(row) for row in batch]
    summary, body = run_job(job, offerings)
    out = sys.stdout.buffer
    out.write(json.dumps(summary).encode() + b"\n")
    out.write(body)
    out.flush()
    return 0


if __name__ == "__main__":
    # Run as ``-m``, this file is ``__main__``; the job's classes come from the package.
    from digitalnah.render import worker

    sys.exit(worker.main())
