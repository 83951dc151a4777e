"""A copy of the database for a what-if (R-SVC-3): ``krav simulate`` and ``krav run --dry-run`` work on it and
throw it away, so the real books, claims, letters and outbox are never touched.

A SQLite file is copied with SQLite's online backup, which reads a consistent snapshot (the write-ahead log
included) without writing to the source. Any other database (PostgreSQL) is copied table by table, in the order
of its foreign keys, into a fresh SQLite database migrated to the same revision: every row as stored, so the copy
runs through the same code as the original.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db.migrate import current_revision, upgrade
from krav.adapters.db.tables import metadata
from krav.adapters.db.types import chunks

#: Rows read and written at a time when copying table by table.
BATCH = 5_000


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database on disk; None for any other (or one in memory)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def copy_database(source: Engine, target: Path, *, progress: Callable[[str, int], None] | None = None) -> None:
    """Copy ``source`` into a new SQLite file ``target``; the source is only read. ``progress`` is told each
    table and the rows copied so far (for a copy table by table)."""
    if target.exists():
        raise FileExistsError(f"{target} exists: a copy is made into a new file only")
    path = sqlite_file(source)
    if path is not None:
        _backup(path, target)
        return
    _copy_tables(source, target, progress or (lambda _table, _rows: None))


def _backup(path: Path, target: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}")
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_tables(source: Engine, target: Path, progress: Callable[[str, int], None]) -> None:
    from krav.adapters.db.engine import make_engine

    destination = make_engine(f"sqlite:///{target}")
    try:
        upgrade(destination)
        if current_revision(destination) != current_revision(source):
            raise RuntimeError("the database to copy is not at Krav's current revision: run `krav init` first")
        with source.connect() as reader, destination.begin() as writer:
            writer.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for table in metadata.sorted_tables:
                copied = 0
                result = reader.execution_options(stream_results=True).execute(sa.select(table))
                for rows in result.mappings().partitions(BATCH):
                    values: list[dict[str, Any]] = [dict(row) for row in rows]
                    for chunk in chunks(values):
                        writer.execute(table.insert(), list(chunk))
                    copied += len(values)
                    progress(table.name, copied)
    finally:
        destination.dispose()
