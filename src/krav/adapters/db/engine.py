"""Engines for the two backends: SQLite (the embedded default) and PostgreSQL.

SQLite runs as a file in WAL mode with ``synchronous=FULL`` and foreign keys on; write transactions start with
``BEGIN IMMEDIATE`` so two writers queue instead of failing half-way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

#: How long a SQLite writer waits for another to finish before it gives up (and says the database is busy).
BUSY_TIMEOUT_MS = 30_000

#: SQLite connections kept open per process (the API server's thread pool runs 40 requests at a time).
POOL_SIZE = 40


def _sqlite_path(url: sa.URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True, future=True)

    path = _sqlite_path(parsed)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": 30, "check_same_thread": False}}
    if path is None:
        kwargs["poolclass"] = StaticPool
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a SQLite connection is cheap to keep and dear to open (its pragmas, a cold page cache): keep as many as
        # the server's thread pool uses, and hand out the one used last (its cache is warm)
        kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_SIZE, pool_use_lifo=True)
    engine = sa.create_engine(parsed, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (so BEGIN IMMEDIATE is ours).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if path is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # a reader's transaction is deferred (WAL lets it read while another writes); a writer queues at once
        options = conn.get_execution_options()
        if options.get("krav_glance", False):
            return  # each statement reads the last commit on its own (no BEGIN, nothing to end)
        if options.get("krav_read_only", False):
            conn.exec_driver_sql("BEGIN")
            return
        patience = options.get("krav_lock_wait_ms")
        if patience is None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        # a writer that gives up soon (for what may be left undone): it waits ``patience`` ms for another writer
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(patience)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    return engine
