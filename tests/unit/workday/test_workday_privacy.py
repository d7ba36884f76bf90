from __future__ import annotations

from datetime import UTC, datetime

import pytest
from workday_testing import Tr, berlin

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.privacy import export_filename, purge_cutoff

ALICE = UserID("@alice:example.org")


def test_purge_cutoff() -> None:
    now = datetime(2024, 8, 31, 3, 0, tzinfo=UTC)
    assert purge_cutoff(now) == datetime(2024, 8, 1, 3, 0, tzinfo=UTC)
    assert purge_cutoff(berlin(2024, 8, 31, 5), days=7) == datetime(2024, 8, 24, 3, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="at least one day"):
        purge_cutoff(now, 0)


def test_export_filename() -> None:
    now = datetime(2024, 8, 31, 3, 0, tzinfo=UTC)
    assert export_filename(ALICE, now, Tr("de")) == "meine-daten-alice-2024-08-31.md"
    assert export_filename(UserID("@a/b:x"), now, Tr("en")) == "my-data-a_b-2024-08-31.md"
