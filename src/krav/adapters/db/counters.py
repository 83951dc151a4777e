"""Per-company number sequences (vouchers, collection IDs, cases), safe under concurrent transactions."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from krav.adapters.db import tables as t


def next_value(conn: sa.Connection, company_id: int, name: str) -> int:
    """The next number of the sequence ``name``: the first is 1.

    The row is created with INSERT … ON CONFLICT DO NOTHING (so two first callers do not collide on the key),
    then incremented with UPDATE … RETURNING, which locks it until the transaction ends: numbers are never
    handed out twice and a rolled-back transaction gives its number back.
    """
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
        .values(value=table.c.value + 1)
        .returning(table.c.value)
    ).scalar_one()
    return int(value)
