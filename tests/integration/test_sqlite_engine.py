"""The SQLite engine's settings on every connection it opens (``krav.adapters.db.engine``)."""

from __future__ import annotations

from pathlib import Path

from krav.adapters.db.engine import make_engine


def _pragma(url: str, name: str) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()
    finally:
        engine.dispose()


def test_a_file_is_in_wal_mode_with_full_sync_foreign_keys_and_no_memory_mapped_io(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'krav.sqlite3'}"
    # memory-mapped reads would turn an I/O error into a signal that kills the process, not an error reported
    assert not _pragma(url, "mmap_size")
    assert _pragma(url, "journal_mode") == "wal"
    assert _pragma(url, "synchronous") == 2  # FULL
    assert _pragma(url, "foreign_keys") == 1


def test_a_database_in_memory_has_foreign_keys_on() -> None:
    assert _pragma("sqlite://", "foreign_keys") == 1
