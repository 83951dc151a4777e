"""Procrastinate's tables, types and functions, put into a PostgreSQL database once, beside Krav's own.

Procrastinate keeps its schema itself (its version is pinned with Krav's dependencies); Krav applies it the first
time the queue is asked for (``krav worker``, ``krav run --queue``), in one transaction under a lock, so two
processes starting at once do not both apply it. SQLite holds no job queue.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

#: the transaction lock taken while the job schema is applied (any fixed number Krav alone uses)
SCHEMA_LOCK = 0x4B524A53  # "KRJS"


def ensure_job_schema(engine: Engine) -> bool:
    """Apply Procrastinate's schema to ``engine``'s PostgreSQL database unless it holds it; whether it did."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.begin() as conn:
        if _present(conn):
            return False
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK)))
        if _present(conn):  # another process applied it while this one waited for the lock
            return False
        from procrastinate.schema import SchemaManager  # loaded where the queue is made, not by every command

        # the schema is a script of many statements (functions with $$ bodies): run it as one simple query
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(SchemaManager.get_schema())
        finally:
            cursor.close()
    return True


def _present(conn: sa.Connection) -> bool:
    return conn.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None
