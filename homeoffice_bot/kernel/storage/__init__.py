"""One storage interface, an SQLite (embedded default) and a PostgreSQL dialect, and a
versioned migration runner per component. See ``database.py``."""

from __future__ import annotations

from homeoffice_bot.kernel.storage.database import (
    Database,
    IntegrityError,
    MigrationStep,
    Result,
    Row,
    StatementError,
    Transaction,
    describe,
    is_postgres_url,
)

__all__ = [
    "Database",
    "IntegrityError",
    "MigrationStep",
    "Result",
    "Row",
    "StatementError",
    "Transaction",
    "describe",
    "is_postgres_url",
]
