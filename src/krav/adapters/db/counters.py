"""Per-company number sequences (vouchers, collection IDs, cases), safe under concurrent transactions."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from krav.adapters.db import tables as t


def next_value(conn: sa.Connection, company_id: int, name: str) -> int:
    """The next number of the sequence ``name``: the first is 1 (see :func:`next_values`)."""
    return next_values(conn, company_id, name, 1)[0]


def next_values(conn: sa.Connection, company_id: int, name: str, count: int) -> range:
    """The next ``count`` numbers of the sequence ``name``, in two statements however many: the first is 1.

    The row is created with INSERT … ON CONFLICT DO NOTHING (so two first callers do not collide on the key),
    then raised by ``count`` with UPDATE … RETURNING, which locks it until the transaction ends: numbers are never
    handed out twice and a rolled-back transaction gives its numbers back.
    """
    if count < 1:
        return range(0)
    table = t.counter
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        insert(table)
        .values(company_id=company_id, name=name, value=0)
        .on_conflict_do_nothing(index_elements=[table.c.company_id, table.c.name])
    )
    value = conn.execute(
        table.update()
        .where(table.c.company_id == company_id, table.c.name == name)
        .values(value=table.c.value + count)
        .returning(table.c.value)
    ).scalar_one()
    return range(int(value) - count + 1, int(value) + 1)
