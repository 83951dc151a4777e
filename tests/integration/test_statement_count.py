"""The daily run's work is set-based (DESIGN.md "Storage"): a notice day that submits N items and sends N notices
takes a bounded number of SQL statements per changed claim, on SQLite and PostgreSQL, however large N is.

Two creditors in one database, one with few overdue invoices and one with many, run the same notice day (auto-
transfer, then a collection notice per debtor, R-CLM-3); the statements their days take are counted as the
driver sees them (one ``executemany`` is one statement).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.letters import LetterType
from krav.services import ledger
from krav.services.daily_run import run_creditor_day
from krav.services.ports import UnitOfWork
from tests.builders import collaborators, consumer, invoice, make_company, post

NOTICE_DAY = date(2025, 3, 28)
FEW, MANY = 10, 60
#: what one more changed claim may cost, at the most, in statements: the writes go in bulk, so nothing
PER_CLAIM = 1


@contextmanager
def counting(engine: Engine) -> Iterator[Counter[str]]:
    """Count the statements sent to the database, by their first word."""
    seen: Counter[str] = Counter()

    def count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen[statement.split(None, 1)[0].upper()] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _creditor(uow: UnitOfWork, orgno: str, debtors: int) -> None:
    make_company(uow, orgno, name=f"Kreditor {orgno}")
    ledger.save_customers(uow, orgno, [consumer(f"{n:05d}") for n in range(1, debtors + 1)])
    post(
        uow,
        *(
            invoice(f"{orgno[-3:]}{n:05d}", f"{n:05d}", "1000.00", date(2025, 2, 28), date(2025, 3, 14))
            for n in range(1, debtors + 1)
        ),
        orgno=orgno,
    )
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        uow.agreements.save(
            company.id,
            Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no"),
        )
        uow.commit()


def _notice_day(engine: Engine, uow: UnitOfWork, orgno: str, debtors: int) -> int:
    with counting(engine) as seen:
        report = run_creditor_day(uow, orgno, NOTICE_DAY, collaborators())
    assert report.submitted == debtors
    assert report.letters == Counter({LetterType.NOTICE: debtors})
    return sum(seen.values())


def test_a_notice_day_takes_a_bounded_number_of_statements_per_changed_claim(engine: Engine) -> None:
    uow = unit_of_work(engine)
    _creditor(uow, "974760673", FEW)
    _creditor(uow, "923609016", MANY)
    few = _notice_day(engine, uow, "974760673", FEW)
    many = _notice_day(engine, uow, "923609016", MANY)
    per_claim = (many - few) / (MANY - FEW)
    assert per_claim <= PER_CLAIM, f"{few} statements for {FEW} claims, {many} for {MANY}: {per_claim:.1f} per claim"
