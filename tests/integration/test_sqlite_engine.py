"""The SQLite engine's settings on every connection it opens (``krav.adapters.db.engine``)."""

from __future__ import annotations

from pathlib import Path

from krav.adapters.db.engine import MMAP_BYTES, make_engine


def _pragma(url: str, name: str) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()
    finally:
        engine.dispose()


def test_a_file_is_read_through_memory_mapped_io_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'krav.sqlite3'}"
    assert _pragma(url, "mmap_size") == MMAP_BYTES
    assert _pragma(url, "journal_mode") == "wal"
    assert _pragma(url, "synchronous") == 2  # FULL
    assert _pragma(url, "foreign_keys") == 1


def test_a_database_in_memory_keeps_its_defaults() -> None:
    assert not _pragma("sqlite://", "mmap_size")  # nothing to map
    assert _pragma("sqlite://", "foreign_keys") == 1
