"""The database itself guards the records of money, on SQLite and PostgreSQL (R-LED-1, R-ACT-5, R-BANK-2,
R-BANK-3): beyond UPDATE and DELETE of the append-only tables, it refuses SQLite's INSERT OR REPLACE (which
deletes the row it overwrites without a DELETE trigger) and PostgreSQL's TRUNCATE (which empties a table without
one); a settlement is append-only; an allocation keeps what was allocated and is settled once; a payment keeps
what the bank reported. The books are :mod:`tests.integration.fortnight`, written once per backend: a refused
statement changes nothing, so the tests share them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import upgrade
from krav.bootstrap import unit_of_work
from krav.services import ledger
from tests.builders import ORGNO
from tests.conftest import _truncate_postgres
from tests.integration.fortnight import a_fortnight, first_row


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def books(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('guards') / 'krav.sqlite3'}")
        upgrade(engine)
    else:
        engine = make_engine(request.getfixturevalue("postgres_schema_url"))
        _truncate_postgres(engine)
    try:
        yield a_fortnight(engine)
    finally:
        engine.dispose()


def _refused(engine: Engine, statement: sa.Executable | str, match: str = "refused") -> None:
    with pytest.raises(sa.exc.DBAPIError, match=match), engine.begin() as conn:
        conn.execute(sa.text(statement) if isinstance(statement, str) else statement)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("voucher", "text", "changed"),
        ("voucher_line", "amount_ore", 1),
        ("letter", "total_ore", 1),
        ("claim_event", "detail", "changed"),
        ("settlement", "principal_ore", 1),
        ("allocation", "principal_ore", 1),
        ("client_payment", "amount_ore", 1),
    ],
)
def test_a_stored_row_cannot_be_overwritten_by_inserting_over_it(
    books: Engine, table: str, column: str, value: Any
) -> None:
    """SQLite's INSERT OR REPLACE deletes the row whose key it takes without firing a DELETE trigger: refused.
    PostgreSQL has no REPLACE; its upsert (ON CONFLICT DO UPDATE) fires the UPDATE triggers: refused as well."""
    target = t.metadata.tables[table]
    row = first_row(books, target)
    forged = {**row, column: value}
    statement: sa.Executable
    if books.dialect.name == "postgresql":
        key = [c.name for c in target.primary_key.columns]
        statement = pg_insert(target).values(forged).on_conflict_do_update(index_elements=key, set_=forged)
    else:
        statement = target.insert().prefix_with("OR REPLACE").values(forged)
    _refused(books, statement)
    assert first_row(books, target, target.c.id == row["id"]) == row
    assert ledger.balance(unit_of_work(books), ORGNO).balanced


@pytest.mark.parametrize("table", t.GUARDED)
def test_a_guarded_table_cannot_be_emptied(books: Engine, table: str) -> None:
    """PostgreSQL's TRUNCATE fires no DELETE trigger: a statement trigger refuses it, and a TRUNCATE … CASCADE that
    reaches the table as well. SQLite has no TRUNCATE; its DELETE of every row is refused row by row."""
    target = t.metadata.tables[table]
    stored = _count(books, target)
    if books.dialect.name == "postgresql":
        # a plain TRUNCATE of a table others refer to stops at their foreign keys; CASCADE would go past them
        _refused(books, f"TRUNCATE {table}", match="refused|referenced in a foreign key")
        _refused(books, f"TRUNCATE {table} CASCADE")
    else:
        _refused(books, f"DELETE FROM {table}")
    assert _count(books, target) == stored


def test_emptying_the_companies_does_not_take_their_books_with_them(books: Engine) -> None:
    if books.dialect.name == "postgresql":
        _refused(books, "TRUNCATE company CASCADE")
    else:
        _refused(books, "DELETE FROM company", match="FOREIGN KEY")
    assert _count(books, t.company) == 1
    assert _count(books, t.claim_event) > 0


@pytest.mark.parametrize(
    "statement",
    [
        t.settlement.update().values(principal_ore=t.settlement.c.principal_ore + 1),
        t.settlement.update().values(reference="OPG-forged"),
        t.settlement.delete(),
    ],
    ids=["amount", "reference", "delete"],
)
def test_a_settlement_is_append_only_r_bank_3(books: Engine, statement: sa.Executable) -> None:
    _refused(books, statement, "append-only")


@pytest.mark.parametrize(
    "statement",
    [
        t.allocation.update().values(principal_ore=t.allocation.c.principal_ore + 100),
        t.allocation.update().values(claim_id=t.allocation.c.claim_id + 1),
        t.allocation.update().values(on_date=date(2025, 1, 1)),
        t.allocation.update().where(t.allocation.c.settlement_id.is_not(None)).values(settlement_id=None),
        t.allocation.delete(),
    ],
    ids=["amount", "claim", "date", "unsettle", "delete"],
)
def test_an_allocation_keeps_what_was_allocated_r_bank_3(books: Engine, statement: sa.Executable) -> None:
    _refused(books, statement, "keeps what was allocated")


def test_an_allocation_is_settled_once_from_nothing_r_bank_3(books: Engine) -> None:
    a = t.allocation
    unsettled = first_row(books, a, a.c.settlement_id.is_(None))
    settlement_id = first_row(books, t.settlement)["id"]
    with books.begin() as conn:
        assert conn.execute(a.update().where(a.c.id == unsettled["id"]).values(settlement_id=settlement_id)).rowcount
    _refused(books, a.update().where(a.c.id == unsettled["id"]).values(settlement_id=None), "keeps what was")
    _refused(books, a.update().values(settlement_id=settlement_id + 1), "keeps what was allocated")


@pytest.mark.parametrize(
    "values",
    [
        {"amount_ore": 1},
        {"currency": "EUR"},
        {"received_on": date(2025, 1, 1)},
        {"kid": "0000000000"},
        {"reference": "forged"},
        {"source": "forged"},
        {"bank_id": "forged"},
        {"payer": "Forged"},
        {"message": "Forged"},
    ],
    ids=lambda v: next(iter(v)),
)
def test_a_payment_keeps_what_the_bank_reported_r_bank_2(books: Engine, values: dict[str, Any]) -> None:
    _refused(books, t.client_payment.update().values(values), "as the bank reported it")


def test_a_payment_changes_its_handling_but_is_never_deleted_r_bank_2(books: Engine) -> None:
    p = t.client_payment
    with books.begin() as conn:
        assert conn.execute(p.update().values(reason="looked at again")).rowcount > 0
    _refused(books, p.delete(), "as the bank reported it")


def test_every_guarded_table_has_its_triggers(books: Engine) -> None:
    """The tables the code names as guarded (``tables.GUARDED``) are the ones the migrations guard."""
    with books.connect() as conn:
        if books.dialect.name == "postgresql":
            rows = conn.execute(
                sa.text(
                    "SELECT c.relname, g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                    "WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
                )
            ).all()
            wanted = {"no_truncate"}
        else:
            rows = conn.execute(sa.text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")).all()
            wanted = {"no_replace", "no_delete"}
    guarded: dict[str, set[str]] = {}
    for table, name in rows:
        if (table, name) == ("claim", "claim_revision"):
            continue  # not a guard: it raises a claim's revision on every change (migration 0018)
        guarded.setdefault(table, set()).add(name.removeprefix(f"{table}_"))
    assert set(guarded) == set(t.GUARDED)
    assert all(wanted <= names for names in guarded.values()), guarded


def test_the_guards_hold_a_database_opened_without_krav(sqlite_engine: Engine) -> None:
    """The SQLite guard is a trigger in the file, not a setting of Krav's connections: the sqlite3 module on its
    own, without ``recursive_triggers``, is refused too."""
    import sqlite3

    a_fortnight(sqlite_engine)
    assert sqlite_engine.url.database is not None
    plain = sqlite3.connect(sqlite_engine.url.database)
    try:
        assert plain.execute("PRAGMA recursive_triggers").fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError, match="refused"):
            plain.execute("INSERT OR REPLACE INTO claim_event SELECT * FROM claim_event WHERE id = 1")
    finally:
        plain.close()
