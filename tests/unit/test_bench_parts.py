"""The benchmarks' parts still run on today's code: the scale bench fills a small
database and publishes a few offerings through the same calls as at 50,000 people.
(The figures themselves come from running the benchmarks; here only that they run.)"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from homeoffice_bot.devserver.postgres import postgres_selected

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.skipif(
    postgres_selected(),
    reason="the scale bench writes and reads SQLite files itself (its PostgreSQL mode moves "
    "them with migrate-storage), so the test harness's PostgreSQL databases do not apply",
)


@pytest.fixture(autouse=True)
def bench_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        (rows,) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    db.close()
    return int(rows)


async def test_the_scale_bench_fills_people_and_stand_ups(tmp_path: Path) -> None:
    import scale_setup

    now = datetime.now(UTC)
    level = scale_setup.Level("tiny", people=12, standups=3)
    await scale_setup.fill(tmp_path, level, now, scale_setup.mid_morning_zone(now))
    database = tmp_path / scale_setup.DATABASE_FILE
    assert count(database, "workday_people") == 12
    assert count(database, "standups") == 3


async def test_the_scale_bench_publishes_offerings(tmp_path: Path) -> None:
    import scale_once

    server = SimpleNamespace(url="http://127.0.0.1:9")  # publishing does not log in
    figures = await scale_once.measure_publish(server, 3, tmp_path)
    assert figures["files"] >= 3
    assert 0 < figures["largest_file_mib"] < 1
    assert "Digitales Angebot 2" in (tmp_path / "public" / "index.html").read_text()
