"""Bulk writes through the driver (``execute_many``) store exactly what SQLAlchemy's own ``executemany`` stores, on
SQLite and PostgreSQL: dates, UTC timestamps, booleans, money in øre and NULLs, in inserts and in updates that mix
the rows' values with the statement's own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.adapters.db.types import _copy_target, _update_from_arrays, execute_many, insert_for_ids
from krav.bootstrap import unit_of_work
from krav.domain.party import Company
from krav.services import ledger

AT = datetime(2025, 3, 28, 9, 30, tzinfo=UTC)


def _company(engine: Engine, orgno: str) -> int:
    ledger.create_company(unit_of_work(engine), Company(orgno=orgno, name=f"Kreditor {orgno}"))
    with unit_of_work(engine) as uow:
        company_id = uow.companies.get(orgno).id
    assert company_id is not None
    return company_id


def _messages(company_id: int, count: int) -> list[dict[str, Any]]:
    return [
        {
            "company_id": company_id,
            "direction": "to_service",
            "kind": "item_submitted",
            "collection_id": f"K-{n:06d}" if n % 3 else None,
            "on_date": date(2025, 3, 1) + timedelta(days=n),
            "payload": '{"navn": "Ærlig Øst Ås"}',
            "created_at": AT + timedelta(seconds=n),
            "handled_at": AT if n % 2 else None,
        }
        for n in range(count)
    ]


def _stored(engine: Engine, company_id: int) -> list[tuple[Any, ...]]:
    m = t.message
    columns = [m.c.direction, m.c.kind, m.c.collection_id, m.c.on_date, m.c.payload, m.c.created_at, m.c.handled_at]
    with engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(sa.select(*columns).where(m.c.company_id == company_id).order_by(m.c.id))
        ]


def test_an_insert_through_the_driver_stores_what_sqlalchemy_stores(engine: Engine) -> None:
    by_krav, by_sqlalchemy = _company(engine, "974760673"), _company(engine, "923609016")
    with engine.begin() as conn:
        execute_many(conn, t.message.insert(), _messages(by_krav, 25))
        conn.execute(t.message.insert(), _messages(by_sqlalchemy, 25))
    stored = _stored(engine, by_krav)
    assert stored == _stored(engine, by_sqlalchemy)
    assert len(stored) == 25
    assert stored[1][5] == AT + timedelta(seconds=1)  # read back aware, in UTC
    assert stored[1][3] == date(2025, 3, 2)
    assert stored[0][2] is None
    assert stored[0][6] is None


def test_an_update_takes_the_rows_values_and_the_statements_own(engine: Engine) -> None:
    """``the_id`` and the new values come from each row; the company in the WHERE clause, the kind in SET from the
    statement: a row of another company is not touched."""
    company_id, other = _company(engine, "974760673"), _company(engine, "923609016")
    with engine.begin() as conn:
        conn.execute(t.message.insert(), _messages(company_id, 4) + _messages(other, 4))
        ids = list(conn.execute(sa.select(t.message.c.id).order_by(t.message.c.id)).scalars())
        m = t.message
        update = (
            m.update()
            .where(m.c.company_id == company_id, m.c.id == sa.bindparam("the_id"))
            .values(handled_at=sa.bindparam("handled"), kind="credit_reported")
        )
        later = AT + timedelta(days=1)
        execute_many(conn, update, [{"the_id": i, "handled": later if n % 2 else None} for n, i in enumerate(ids)])
    stored = _stored(engine, company_id)
    assert [(row[1], row[6]) for row in stored] == [
        ("credit_reported", None),
        ("credit_reported", later),
        ("credit_reported", None),
        ("credit_reported", later),
    ]
    assert {row[1] for row in _stored(engine, other)} == {"item_submitted"}
    assert [row[6] for row in _stored(engine, other)] == [None, AT, None, AT]


def test_rows_with_their_keys_in_another_order_store_the_same_and_no_rows_write_nothing(engine: Engine) -> None:
    company_id = _company(engine, "974760673")
    rows = _messages(company_id, 3)
    rows[2] = dict(reversed(list(rows[2].items())))
    with engine.begin() as conn:
        execute_many(conn, t.message.insert(), rows)
        execute_many(conn, t.message.insert(), [])
    stored = _stored(engine, company_id)
    assert [row[2:4] for row in stored] == [
        (None, date(2025, 3, 1)),
        ("K-000001", date(2025, 3, 2)),
        ("K-000002", date(2025, 3, 3)),
    ]
    assert [row[6] for row in stored] == [None, AT, None]


def test_a_broken_key_fails_as_an_insert_fails_and_stores_none_of_the_rows(engine: Engine) -> None:
    """On PostgreSQL the rows go in by ``COPY``: a row whose key is taken fails the whole write with the same
    ``IntegrityError`` an ``INSERT`` raises, and the transaction keeps none of them."""
    company_id = _company(engine, "974760673")
    with engine.begin() as conn:
        conn.execute(t.message.insert(), _messages(company_id, 1))
        taken = conn.execute(sa.select(t.message.c.id)).scalar_one()
    rows = [{"id": taken + 1 + n, **row} for n, row in enumerate(_messages(company_id, 3))]
    rows[2]["id"] = taken
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        execute_many(conn, t.message.insert(), rows)
    assert len(_stored(engine, company_id)) == 1


def test_an_update_naming_a_row_twice_keeps_the_last_as_one_statement_per_row_would(engine: Engine) -> None:
    company_id = _company(engine, "974760673")
    with engine.begin() as conn:
        conn.execute(t.message.insert(), _messages(company_id, 2))
        first, second = conn.execute(sa.select(t.message.c.id).order_by(t.message.c.id)).scalars()
        m = t.message
        update = m.update().where(m.c.id == sa.bindparam("the_id")).values(kind=sa.bindparam("kind"))
        rows = [{"the_id": first, "kind": "a"}, {"the_id": second, "kind": "b"}, {"the_id": first, "kind": "c"}]
        execute_many(conn, update, rows)
    assert [row[1] for row in _stored(engine, company_id)] == ["c", "b"]


@pytest.mark.parametrize("engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_on_postgresql_many_rows_are_one_copy_and_one_update(engine: Engine) -> None:
    """The set-based forms are taken for Krav's plain inserts and updates (else each row is a statement of its
    own on the server), and refused where they would not say the same: an expression among the values, ``ON
    CONFLICT``, a row value without its type, a key named twice."""
    assert engine.dialect.name == "postgresql"
    m = t.message
    insert = m.insert().compile(dialect=engine.dialect, column_keys=["kind", "on_date"])
    names = list(insert.binds)
    assert _copy_target(insert.string, names) == "message (kind, on_date)"
    assert _copy_target(insert.string, list(reversed(names))) is None
    computed = m.insert().values(kind=sa.func.lower(sa.bindparam("kind"))).compile(dialect=engine.dialect)
    assert _copy_target(computed.string, list(computed.binds)) is None
    assert _copy_target(insert.string.removesuffix(" RETURNING message.id") + " ON CONFLICT DO NOTHING", names) is None

    company_id = _company(engine, "974760673")
    with engine.begin() as conn:
        conn.execute(m.insert(), _messages(company_id, 3))
        ids = list(conn.execute(sa.select(m.c.id).order_by(m.c.id)).scalars())
    update = m.update().where(m.c.company_id == company_id, m.c.id == sa.bindparam("the_id"))
    update = update.values(kind=sa.bindparam("kind"))
    compiled = update.compile(dialect=engine.dialect, column_keys=["the_id", "kind"])
    rows = [(f"k{n}", i) for n, i in enumerate(ids)]
    order = list(compiled.binds)
    params = [tuple({"kind": kind, "the_id": i}.get(name, company_id) for name in order) for kind, i in rows]
    made = _update_from_arrays(compiled, order, {"the_id", "kind"}, params)
    assert made is not None
    sql, values = made
    assert "unnest(" in sql
    assert sql.count("%(") == 3  # the two arrays and the company, bound once
    assert values["kind"] == ["k0", "k1", "k2"]
    assert values["the_id"] == ids
    assert _update_from_arrays(compiled, order, {"the_id", "kind"}, params + params[:1]) is None
    flags = t.claim.update().where(t.claim.c.id == sa.bindparam("the_id")).values(paused=sa.bindparam("paused"))
    flags_sql = flags.compile(dialect=engine.dialect, column_keys=["the_id", "paused"])
    flag_params = [tuple({"paused": True, "the_id": 7}[name] for name in flags_sql.binds)]
    made_flags = _update_from_arrays(flags_sql, list(flags_sql.binds), {"the_id", "paused"}, flag_params)
    assert made_flags is not None  # a boolean is sent without a cast: its array is typed by its column
    assert "::BOOLEAN[]" in made_flags[0]
    ranged = m.update().where(m.c.id <= sa.bindparam("the_id")).values(kind=sa.bindparam("kind"))
    ranged_sql = ranged.compile(dialect=engine.dialect, column_keys=["the_id", "kind"])
    assert _update_from_arrays(ranged_sql, list(ranged_sql.binds), {"the_id", "kind"}, [("k", 1), ("l", 2)]) is None

    seen: list[str] = []

    def catch(*args: Any) -> None:
        seen.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", catch)
    try:
        with engine.begin() as conn:
            execute_many(conn, update, [{"the_id": i, "kind": kind} for kind, i in rows])
            execute_many(conn, m.insert(), _messages(company_id, 50))
    finally:
        sa.event.remove(engine, "before_cursor_execute", catch)
    assert [s for s in seen if s.startswith("UPDATE")] == [sql]  # one statement for the three rows
    # a row's key before the statement's own condition, and a timestamp: the types end where the SQL goes on
    stamped = m.update().where(m.c.id == sa.bindparam("the_id"), m.c.company_id == company_id)
    stamped = stamped.values(handled_at=sa.bindparam("handled"))
    seen.clear()
    sa.event.listen(engine, "before_cursor_execute", catch)
    try:
        with engine.begin() as conn:
            execute_many(conn, stamped, [{"the_id": i, "handled": AT + timedelta(hours=n)} for n, i in enumerate(ids)])
    finally:
        sa.event.remove(engine, "before_cursor_execute", catch)
    assert len(seen) == 1
    assert "unnest(" in seen[0]
    assert [row[6] for row in _stored(engine, company_id)][:3] == [AT, AT + timedelta(hours=1), AT + timedelta(hours=2)]
    assert not [s for s in seen if s.startswith("INSERT")]  # the 50 rows went by COPY
    assert [row[1] for row in _stored(engine, company_id)][:3] == ["k0", "k1", "k2"]
    assert len(_stored(engine, company_id)) == 53


def test_rows_inserted_for_their_ids_get_each_its_own_id_in_order(engine: Engine) -> None:
    company_id = _company(engine, "974760673")
    rows = _messages(company_id, 7)
    with engine.begin() as conn:
        ids = insert_for_ids(conn, t.message, rows)
        assert insert_for_ids(conn, t.message, []) == []
        m = t.message
        stored = {
            r.id: r.on_date for r in conn.execute(sa.select(m.c.id, m.c.on_date).where(m.c.company_id == company_id))
        }
    assert len(set(ids)) == 7
    assert [stored[i] for i in ids] == [row["on_date"] for row in rows]
