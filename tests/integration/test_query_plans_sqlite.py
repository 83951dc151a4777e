"""On SQLite, rows asked for by a list of unique keys are found through those keys' index, never by walking the
company's every row; and a list longer than the driver takes in one statement is read in parts.

SQLite keeps no statistics unless told to (``ANALYZE``), and without them it judges an ``IN`` list of hundreds of
keys dearer than the company's own index: it then reads every claim or item of the company for each chunk of the
list, a read that grows with the company (at 100,000 claims the day's run applying a bank file spent most of its
time so). The reads by collection IDs (claims and open items) and by invoice numbers (the debits a voucher
settles) are run as Krav runs them, their SQL caught on its way to the database, and ``EXPLAIN QUERY PLAN`` of
each must name the key's index.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from krav.bootstrap import App, bootstrap
from krav.domain.agreement import Agreement
from krav.services import ledger
from krav.services.ports import ClaimFilter, ItemFilter
from tests.builders import ORGNO, consumer, invoice, make_company, post, run_day

KEYS = 500  # one chunk of an IN list (krav.adapters.db.types.CHUNK)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    krav = bootstrap(database_url=f"sqlite:///{tmp_path / 'krav.sqlite3'}")
    try:
        yield krav
    finally:
        krav.close()


def _plans(app: App, read: Any, kind: str = "SELECT") -> list[tuple[str, list[str]]]:
    """Each statement of ``kind`` (SELECT, UPDATE) that ``read`` sends, with the lines of its query plan."""
    caught: list[tuple[str, Any]] = []

    def catch(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith(kind):
            caught.append((statement, parameters))

    sa.event.listen(app.engine, "before_cursor_execute", catch)
    try:
        read()
    finally:
        sa.event.remove(app.engine, "before_cursor_execute", catch)
    with app.engine.connect() as conn:
        return [
            (statement, [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)])
            for statement, parameters in caught
        ]


def _searches(plans: list[tuple[str, list[str]]], table: str) -> list[str]:
    return [
        line for _, lines in plans for line in lines if line.startswith(("SEARCH", "SCAN")) and f" {table} " in line
    ]


def test_claims_and_items_by_collection_ids_and_debits_by_number_use_the_keys_index(app: App) -> None:
    uow = app.uow()
    company = make_company(uow)
    assert company.id is not None
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))
    keys = [f"K1-{n:06d}" for n in range(KEYS)]
    numbers = ["1001", *(f"{2000 + n}" for n in range(KEYS - 1))]

    def read() -> None:
        with uow:
            assert uow.collection.claims(company.id or 0, ClaimFilter(collection_ids=keys)) == []
            assert uow.ledger.items(company.id or 0, ItemFilter(collection_ids=keys)) == []
            found = uow.ledger.items(company.id or 0, ItemFilter(numbers=numbers, debits_only=True))
            assert [i.number for i in found] == ["1001"]

    plans = _plans(app, read)
    claims, items = _searches(plans, "claim"), _searches(plans, "open_item")
    assert claims == ["SEARCH claim USING INDEX sqlite_autoindex_claim_1 (collection_id=?)"], plans
    assert items == [
        "SEARCH open_item USING INDEX sqlite_autoindex_open_item_1 (collection_id=?)",
        "SEARCH open_item USING INDEX ux_open_item_invoice_number (company_id=? AND number=?)",
    ], plans


def test_letters_asked_for_by_id_are_found_by_their_key_not_by_walking_the_companys_letters(app: App) -> None:
    """The outbox reads each part's letters by id (500 at a time): without statistics SQLite would walk every
    letter of the company for each part through its ``(company_id, debtor_number, n)`` index (a creditor with a
    million items has 100,000 letters on a first-letter day)."""
    uow = app.uow()
    company = make_company(uow)
    assert company.id is not None

    def read() -> None:
        with uow:
            assert uow.collection.letters(company.id or 0, letter_ids=range(1, KEYS + 1)) == []

    letters = _searches(_plans(app, read), "letter")
    assert letters == ["SEARCH letter USING INTEGER PRIMARY KEY (rowid=?)"], letters


def test_items_reminded_by_the_ledger_are_updated_by_their_key_not_by_walking_the_companys_items(app: App) -> None:
    """The ledger's own reminder marks the items it names by id: without statistics SQLite would walk every item
    of the company through ``ix_open_item_company_customer`` for each part of the list."""
    uow = app.uow()
    company = make_company(uow)
    assert company.id is not None

    def mark() -> None:
        with uow:
            uow.ledger.mark_reminded(company.id or 0, range(1, KEYS + 1), date(2025, 4, 1))

    items = _searches(_plans(app, mark, "UPDATE"), "open_item")
    assert items == ["SEARCH open_item USING INTEGER PRIMARY KEY (rowid=?)"], items


def test_the_proposal_reads_the_open_items_by_due_date_not_every_item_without_a_collection_id(app: App) -> None:
    """``collection_id IS NULL`` looks like an equality to SQLite, which would then walk the unique index of
    collection IDs through every item never submitted — settled ones too, most of a ledger's items — instead of
    the open items by due date (a million-item ledger: 0.78 s against 0.69 s for the same rows)."""
    uow = app.uow()
    company = make_company(uow)
    assert company.id is not None
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))

    def read() -> None:
        with uow:
            assert [c.item.number for c in uow.ledger.candidates(company.id or 0, today=date(2025, 4, 1))] == ["1001"]

    items = _searches(_plans(app, read), "open_item")
    assert items[0].startswith("SEARCH open_item USING INDEX ix_open_item_open_by_due (company_id=?"), items
    assert not any("sqlite_autoindex_open_item_1" in line for line in items), items


def test_letters_asked_for_by_more_ids_than_one_statement_takes_come_back_all_in_order(app: App) -> None:
    """A day's payments may name more letters than a statement binds (SQLite: 32,766 or 250,000 by its build;
    PostgreSQL: 65,535): the letters are read in parts, and come back as the query orders them."""
    uow = app.uow()
    company = make_company(uow)
    assert company.id is not None
    ledger.save_customers(uow, ORGNO, [consumer(f"{10001 + n}") for n in range(3)])
    issued, due, notice_day = date(2025, 3, 1), date(2025, 3, 14), date(2025, 3, 28)
    post(uow, *(invoice(f"{1001 + n}", f"{10001 + n}", "100.00", issued, due) for n in range(3)))
    with uow:
        uow.agreements.save(company.id, Agreement(active=True, activated_on=notice_day, accepted_by="test"))
        uow.commit()
    run_day(uow, ORGNO, notice_day, rates=app.rates, service=app.service)
    with uow:
        every = uow.collection.letters(company.id)
        asked = uow.collection.letters(company.id, letter_ids=range(1, 300_000))
        some = uow.collection.letters(company.id, letter_ids=[every[-1].id, every[0].id])
    assert len(every) == 3
    assert asked == every
    assert some == [every[0], every[-1]]
