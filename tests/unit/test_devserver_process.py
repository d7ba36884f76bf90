"""How every local test server (Synapse, PostgreSQL) is started, awaited and stopped, on a
small Python program in place of the server."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from homeoffice_bot.devserver.process import ServerProcess, free_port


class FakeError(RuntimeError):
    pass


class Program(ServerProcess):
    """A Python one-liner as the server; it answers once its log says ``ready``."""

    name = "program"
    error = FakeError

    def __init__(self, workdir: Path, code: str) -> None:
        super().__init__(workdir / "program.log")
        self.workdir = workdir
        self.code = code

    def start(self, timeout: float = 30) -> None:
        self._spawn([sys.executable, "-c", self.code], cwd=self.workdir)
        self._wait_until_ready(timeout)

    def _answers(self) -> bool:
        return "ready" in self.log_path.read_text()

    def stop(self, timeout: float = 10) -> None:
        self._stop_process(timeout)


SERVE = "import time; print('ready', flush=True); time.sleep(60)"


def test_start_waits_until_it_answers_and_stop_ends_it(tmp_path: Path) -> None:
    with Program(tmp_path, SERVE) as program:
        assert program.running
        assert program.log_tail() == "ready"
    assert not program.running


def test_a_server_that_exits_while_starting_reports_its_code_and_log(tmp_path: Path) -> None:
    program = Program(tmp_path, "print('bad config: port'); raise SystemExit(3)")
    with pytest.raises(FakeError, match=r"program exited with code 3:\nbad config: port"):
        program.start()
    assert not program.running


def test_a_server_that_does_not_answer_in_time_is_stopped(tmp_path: Path) -> None:
    program = Program(tmp_path, "import time; time.sleep(60)")
    with pytest.raises(FakeError, match=r"program did not answer within 0 s"):
        program.start(timeout=0)
    assert not program.running


def test_a_server_that_ignores_the_stop_signal_is_killed(tmp_path: Path) -> None:
    ignoring = "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); " + SERVE
    program = Program(tmp_path, ignoring)
    program.start()
    process = program._process
    assert process is not None
    program.stop(timeout=0.2)
    assert process.returncode == -signal.SIGKILL
    assert not program.running


def test_stop_before_start_and_twice_is_harmless(tmp_path: Path) -> None:
    program = Program(tmp_path, SERVE)
    program.stop()
    program.start()
    program.stop()
    program.stop()
    assert not program.running
    assert Program(tmp_path / "none", SERVE).log_tail() == "(no log written)"


def test_free_port_is_a_port_number() -> None:
    assert 0 < free_port() < 65536
