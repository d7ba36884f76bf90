"""A local server in a subprocess, for tests, the demo and benchmarks: a free loopback port,
its output in a log file, start, wait until it answers, stop.

A subclass says what to run (it calls ``_spawn``), how to tell that the server answers
(``_answers``), how it stops (``stop_signal``) and which error it raises (``error``); this
class waits and stops the same way for every server:

- ``_wait_until_ready`` asks ``_answers`` every ``poll_interval`` seconds; it raises
  ``error`` with the end of the log when the process exits first, and stops it and raises
  when it has not answered in time;
- ``_stop_process`` sends ``stop_signal`` and kills the process if it has not exited after
  the grace time.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Self

__all__ = ["ServerProcess", "free_port"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """One server process of ours, its output (stdout and stderr) appended to ``log_path``."""

    name: ClassVar[str] = "server"
    """How error messages call the server."""
    error: ClassVar[type[RuntimeError]] = RuntimeError
    """What a server that exits or does not answer raises."""
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM
    poll_interval: ClassVar[float] = 0.05

    def __init__(self, log_path: Path) -> None:
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self._log_path

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self._log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join(text.splitlines()[-lines:])

    def _spawn(self, args: Sequence[str], *, cwd: Path, **popen: Any) -> None:
        """Start ``args`` in ``cwd`` without input, its output appended to the log."""
        with self._log_path.open("ab") as log:
            self._process = subprocess.Popen(
                args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                **popen,
            )  # fmt: skip

    def _answers(self) -> bool:
        """True once the server answers requests (asked while its process runs)."""
        raise NotImplementedError

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            process = self._process
            if process is None or process.poll() is not None:
                code = None if process is None else process.returncode
                self._process = None
                raise self.error(f"{self.name} exited with code {code}:\n{self.log_tail()}")
            if self._answers():
                return
            if time.monotonic() > deadline:
                tail = self.log_tail()  # before stop(): it may take the log away
                self.stop()
                raise self.error(f"{self.name} did not answer within {timeout:.0f} s:\n{tail}")
            time.sleep(self.poll_interval)

    def _stop_process(self, timeout: float) -> None:
        """``stop_signal``, then SIGKILL if the process has not exited after ``timeout`` s."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(self.stop_signal)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
