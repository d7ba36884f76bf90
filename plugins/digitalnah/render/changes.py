"""Rendering only what changed.

Every page and feed document is planned first as a ``Pending``: the key of what it is
made from, and how to render it. The key is a digest of the file's inputs by their
``repr``: the offerings on it, the navigation, the settings (offerings, settings and the
renderers' view objects are frozen dataclasses, whose ``repr`` shows every field). The
"Stand" time is not part of it, so a page nobody changed is not written again and keeps
the time of its last change.

``code_version`` is part of every key: a new version of the renderer, of the built-in
templates or catalogues, or an own template changed renders everything again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import homeoffice_bot

PLUGIN = Path(__file__).resolve().parent.parent
"""The plugin's folder: its code, templates and catalogues."""
_CODE = ("*.py", "render/*.py", "templates/*", "locales/*.toml")


@dataclass(frozen=True, slots=True)
class Pending:
    """A file planned but not rendered yet."""

    key: str
    """A digest of everything the file is made from (``digest``)."""
    render: Callable[[], str]


def digest(*inputs: object) -> str:
    """A short digest of ``inputs`` by their ``repr``."""
    return hashlib.blake2b(repr(inputs).encode(), digest_size=16).hexdigest()


def code_version(template_dir: Path | None) -> str:
    """A digest of the bot's version and the contents of the plugin's code, built-in
    templates and catalogues, and of the files in ``template_dir``."""
    files = sorted(path for pattern in _CODE for path in PLUGIN.glob(pattern))
    if template_dir is not None and template_dir.is_dir():
        files += sorted(p for p in template_dir.rglob("*") if p.is_file())
    hasher = hashlib.blake2b(homeoffice_bot.__version__.encode(), digest_size=16)
    for path in files:
        hasher.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()
