"""Rendering and writing the published files in a process of their own.

The bot hands a ``RenderJob`` (pickled, on standard input) to ``python -m
digitalnah.render.worker``; the worker renders every file, writes each atomically into
the output directory, then the manifest (``MANIFEST_FILE``: the published files and where
each offering is), removes files of the previous manifest that are no longer produced,
and prints a JSON summary (file name -> size in bytes). Its event loop stays free while
thousands of offerings are rendered.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digitalnah.catalogue import translator
from digitalnah.model import Offering
from digitalnah.render import MANIFEST_FILE, render_all
from digitalnah.render.common import SiteSettings, content_type, published
from digitalnah.render.layout import locations as page_locations
from digitalnah.render.layout import plan_categories


@dataclass(frozen=True, slots=True)
class RenderJob:
    offerings: list[Offering]
    site: SiteSettings
    generated_at: datetime
    out_dir: Path
    template_dir: Path | None = None
    page_size: int = 50


def write_outputs(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write every file into ``out_dir``, each replaced atomically (temp file + rename)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
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


def run_job(job: RenderJob) -> dict[str, int]:
    """Render and write everything; returns the size of each file written."""
    tr = translator(job.site.language)
    files = render_all(
        job.offerings,
        job.site,
        tr=tr,
        generated_at=job.generated_at,
        template_dir=job.template_dir,
        page_size=job.page_size,
    )
    old = read_manifest(job.out_dir).get("files", [])
    write_outputs(job.out_dir, files)
    plans = plan_categories(published(job.offerings), job.site.categories, job.page_size)
    manifest = {
        "files": sorted(files),
        "offerings": {str(k): v for k, v in page_locations(plans).items()},
    }
    write_outputs(job.out_dir, {MANIFEST_FILE: json.dumps(manifest).encode()})
    for name in old if isinstance(old, list) else []:
        if isinstance(name, str) and name not in files and content_type(name):
            with contextlib.suppress(OSError):
                (job.out_dir / name).unlink()
    return {name: len(data) for name, data in files.items()}


def main() -> int:
    job = pickle.load(sys.stdin.buffer)
    if type(job).__name__ != RenderJob.__name__:
        print("expected a RenderJob on standard input", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(run_job(job)))
    return 0


if __name__ == "__main__":
    # Run as ``-m``, this file is ``__main__``; the job's classes come from the package.
    from digitalnah.render import worker

    sys.exit(worker.main())
