"""A creditor's first fortnight of collection, for the tests of the tamper-evident books (R-LED-1, R-ACT-5,
R-BANK-2, R-BANK-3), and the means to edit a table behind Krav's back.

Debtor 10001 owes 1001 (1000.00) and 1002 (500.00), debtor 20001 owes 2001 (800.00), all due 14 March 2025. The
agreement is changed once and a print batch archived; notices go out on 28 March; 1001 is paused on 1 April; a
credit note of 100.00 settles part of 1002 on 2 April; 20001 pays the notice's total to the client account on
Saturday 5 April, and the settlement is made on Monday 7 April. That leaves a row in every guarded table:
vouchers and their lines, claim events, letters, a payment, allocations (one settled, one not) and a settlement.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action
from krav.services import collection, ledger
from krav.services.ports import AgreementChange, ClientPayment, DocumentKind, UnitOfWork
from tests.builders import ORGNO, RATES, consumer, credit_note, invoice, make_company, post, run_day

START, END = date(2025, 3, 28), date(2025, 4, 8)


def _setup(uow: UnitOfWork) -> None:
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann")])
    issued, due = date(2025, 2, 28), date(2025, 3, 14)
    post(
        uow,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
    )
    # a change kept outside the vouchers (ledger_change), set and cleared again: nothing else changes
    ledger.set_customer_exempt(uow, ORGNO, "20001", True, on=issued, by="test")
    ledger.set_customer_exempt(uow, ORGNO, "20001", False, on=issued, by="test")
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        uow.agreements.save(
            company.id, Agreement(active=True, activated_on=START, accepted_by="test", collection_list_email="l@ex.no")
        )
        uow.agreements.record_changes(company.id, [AgreementChange("active", "False", "True")], by="test", on=START)
        uow.deliveries.archive(company.id, DocumentKind.PRINT_BATCH, "print-1", "print.txt", "text/plain", b"print")
        uow.commit()


def _pay_the_notice(uow: UnitOfWork, debtor: str, on: date) -> None:
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        (letter,) = uow.collection.letters(company.id, debtor=debtor)
        uow.collection.add_payment(
            ClientPayment(on, letter.total, f"{on}-{debtor}", "test", letter.kid, "Kari", company.id, letter.id)
        )
        uow.commit()


def a_fortnight(engine: Engine) -> Engine:
    """The fortnight above, written by Krav into the empty database of ``engine``."""
    uow = unit_of_work(engine)
    _setup(uow)
    day = START
    while day <= END:
        if day == date(2025, 4, 1):
            collection.act(uow, ORGNO, ["1001"], Action.PAUSE, on=day, by="creditor", rates=RATES)
        elif day == date(2025, 4, 2):
            post(uow, credit_note("10001", "100.00", day, settles=("1002",)))
        elif day == date(2025, 4, 5):
            _pay_the_notice(uow, "20001", day)
        run_day(uow, ORGNO, day)
        day += timedelta(days=1)
    with engine.connect() as conn:
        for table in t.GUARDED:
            assert conn.execute(sa.select(sa.func.count()).select_from(t.metadata.tables[table])).scalar_one() > 0
        a = t.allocation
        assert conn.execute(sa.select(sa.func.count()).where(a.c.settlement_id.is_not(None))).scalar_one() > 0
        assert conn.execute(sa.select(sa.func.count()).where(a.c.settlement_id.is_(None))).scalar_one() > 0
    return engine


def first_row(engine: Engine, table: sa.Table, *where: Any) -> dict[str, Any]:
    """The stored row of ``table`` with the lowest key among those ``where`` selects."""
    key = next(iter(table.primary_key.columns))
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(table).where(*where).order_by(key).limit(1)).mappings().one())


@contextmanager
def triggers_lifted(engine: Engine, *tables: str) -> Iterator[sa.Connection]:
    """One transaction in which ``tables`` have no triggers, as someone holding the database's keys could arrange
    (PostgreSQL: disabled by the tables' owner; SQLite: dropped, and made again from their own SQL after)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in tables:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield conn
            for table in tables:
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        triggers = [
            (name, sql)
            for table in tables
            for name, sql in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
            )
        ]
        for name, _ in triggers:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        yield conn
        for _, sql in triggers:
            conn.exec_driver_sql(sql)
