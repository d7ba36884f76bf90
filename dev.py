"""Bootstrap for developers: needs nothing but Python 3.11+.

    python3 dev.py demo [args...]    the bot against a local homeserver
    python3 dev.py test [pytest...]  ruff, ruff format --check, mypy, import contract, pytest
                                     on SQLite, then pytest again on PostgreSQL
    python3 dev.py lint              ruff check, ruff format --check, mypy, import contract
    python3 dev.py fix               ruff check --fix, ruff format
    python3 dev.py lock              pin the dependencies with hashes into requirements.lock

The first run creates .venv next to this file and installs the project with its dev tools;
later runs reinstall only when pyproject.toml has changed.

The PostgreSQL pass needs the machine's PostgreSQL server binaries (Debian: apt-get install
postgresql); HOMEOFFICE_TEST_BACKENDS=sqlite skips it, =postgresql runs only it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MINIMUM = (3, 11)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / "homeoffice-bot-install.sha256"
USAGE = __doc__.split("\n\n")[1] if __doc__ else ""


def ensure_python() -> None:
    """Re-run under a newer python3.1x from PATH if this interpreter is too old."""
    if sys.version_info >= MINIMUM:
        return
    if not os.environ.get("HOMEOFFICE_DEV_REEXEC"):
        for minor in range(20, MINIMUM[1] - 1, -1):
            candidate = shutil.which(f"python3.{minor}")
            if candidate:
                os.environ["HOMEOFFICE_DEV_REEXEC"] = "1"
                os.execv(candidate, [candidate, __file__, *sys.argv[1:]])
    found = ".".join(map(str, sys.version_info[:3]))
    sys.exit(f"error: homeoffice-bot needs Python 3.11 or newer, this is Python {found}.")


def header(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def run(*command: str | Path) -> int:
    return subprocess.call([str(part) for part in command], cwd=ROOT)


def ensure_venv() -> None:
    """Create .venv if needed and (re)install the project when pyproject.toml changed."""
    python = BIN / "python"
    if not python.exists():
        header(f"Creating virtual environment in {VENV}")
        code = run(sys.executable, "-m", "venv", "--clear", VENV)
        code = code or run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
        if code:
            sys.exit(code)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    header("Installing homeoffice-bot with its dev tools into .venv (takes a while once)")
    started = time.monotonic()
    pip = (python, "-m", "pip", "install", "-q", "--disable-pip-version-check")
    code = run(*pip, "-e", ".[dev]")
    if code:
        sys.exit(code)
    STAMP.write_text(wanted + "\n")
    print(f"    installed in {time.monotonic() - started:.0f} s", flush=True)


def run_steps(steps: list[tuple[str, ...]]) -> int:
    """Run each step in order; stop at the first one that fails and return its exit code."""
    for step in steps:
        header(" ".join(step))
        code = run(BIN / step[0], *step[1:])
        if code:
            print(f"\n{step[0]} failed with exit code {code}", file=sys.stderr)
            return code
    return 0


LOCK = "requirements.lock"
LOCK_OPTIONS = ("--universal", "--python-version", "3.11", "--generate-hashes", "--quiet")
"""The image's dependencies for every platform it is built on, pinned with their hashes."""

BACKENDS_ENV = "HOMEOFFICE_TEST_BACKENDS"
BACKEND_ENV = "HOMEOFFICE_TEST_DATABASE"


def postgres_installed() -> bool:
    return bool(shutil.which("initdb")) or any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def run_tests(args: list[str]) -> int:
    """pytest once per database backend (``HOMEOFFICE_TEST_BACKENDS``, default both)."""
    backends = [b.strip() for b in os.environ.get(BACKENDS_ENV, "sqlite,postgresql").split(",")]
    for backend in [b for b in backends if b]:
        if backend not in ("sqlite", "postgresql"):
            print(
                f"error: {BACKENDS_ENV} names {backend!r}: use sqlite, postgresql", file=sys.stderr
            )
            return 2
        if backend == "postgresql" and not postgres_installed():
            print(
                "\nerror: the PostgreSQL pass needs PostgreSQL's server binaries (initdb): "
                f"apt-get install postgresql, or {BACKENDS_ENV}=sqlite to skip the pass",
                file=sys.stderr,
            )
            return 1
        os.environ[BACKEND_ENV] = backend
        header(f"pytest on {backend} {' '.join(args)}".rstrip())
        # pytest's exit code 5 (no tests collected) is non-zero and so counts as a failure.
        code = run(BIN / "pytest", *args)
        if code:
            print(f"\npytest on {backend} failed with exit code {code}", file=sys.stderr)
            return code
    return 0


LINT_STEPS: list[tuple[str, ...]] = [
    ("ruff", "check", "."),
    ("ruff", "format", "--check", "."),
    ("mypy",),
    ("lint-imports",),
]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "lint", "fix", "lock"}:
        print(USAGE, file=sys.stderr)
        return 2
    command, args = argv[0], argv[1:]
    ensure_venv()
    if command == "demo":
        program = str(BIN / "homeoffice-bot")
        os.execv(program, [program, "demo", *args])
    if command == "fix":
        fixed = run(BIN / "ruff", "check", "--fix", ".")
        return run(BIN / "ruff", "format", ".") or fixed
    if command == "lock":
        return run(BIN / "uv", "pip", "compile", "pyproject.toml", *LOCK_OPTIONS, "-o", LOCK)
    if command == "lint":
        return run_steps(LINT_STEPS)
    return run_steps(LINT_STEPS) or run_tests(args)


if __name__ == "__main__":
    ensure_python()
    sys.exit(main(sys.argv[1:]))
