"""Imports into the ledger on SQLite and PostgreSQL: all or nothing, and the same file twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from krav.bootstrap import unit_of_work
from krav.domain.errors import FileFormatError, ImportRefused
from krav.domain.ledger.open_items import SettledStatus
from krav.domain.money import Money
from krav.services import imports, ledger
from tests.builders import ORGNO, make_company

SAFT_ORGNO = "888888888"
SAFT_NAME = "ExampleFile SAF-T Financial_888888888_20180228235959.xml"


@pytest.fixture
def saft_bytes(fixtures_dir: Path) -> bytes:
    return (fixtures_dir / "saft" / SAFT_NAME).read_bytes()


@pytest.fixture
def schema_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "saft"


def test_the_official_saft_example_imports_its_customers_and_open_items_r_imp_1(
    engine: Engine, saft_bytes: bytes, schema_dir: Path
) -> None:
    """The example's closing balances (SOURCES.md): 1001 265 500,00; 1004 10 000,00; 1003 credit 140 000,00;
    1000, 1002, 1005 zero. The rebuilt items (unit tests show the arithmetic) are posted as opening balances,
    so the receivables account and the sub-ledger both say exactly that."""
    uow = unit_of_work(engine)
    report = imports.import_saft(uow, SAFT_ORGNO, saft_bytes, filename=SAFT_NAME, schema_dir=schema_dir)
    assert report.company_created
    assert report.customers_created == 6
    got = {(i.customer, i.number, i.amount, i.remaining, i.due_date) for i in report.items}
    assert got == {
        ("1001", "1041", "203648.75", "2000.00", "2017-02-11"),
        ("1001", "1054", "263500.00", "263500.00", "2017-05-09"),
        ("1003", "1011-3", "-140100.00", "-140000.00", None),
        ("1004", "78", "122125.00", "10000.00", "2017-05-12"),
    }
    items = {i.number: i for i in ledger.open_items(uow, SAFT_ORGNO)}
    assert items["1041"].status is SettledStatus.PARTLY_OPEN
    assert items["1054"].status is SettledStatus.OPEN
    assert items["1011-3"].remaining == Money.of("-140000.00")
    check = ledger.balance(uow, SAFT_ORGNO)
    assert check.balanced
    assert check.trial_balance["1500 NOK"] == Money.of("135500.00")  # 265 500 + 10 000 − 140 000
    with uow:
        sub = uow.ledger.subledger_by_customer(1)
    assert sub == {"1001": Money.of("265500.00"), "1003": Money.of("-140000.00"), "1004": Money.of("10000.00")}


def test_importing_the_same_saft_file_twice_changes_nothing(
    engine: Engine, saft_bytes: bytes, schema_dir: Path
) -> None:
    uow = unit_of_work(engine)
    imports.import_saft(uow, SAFT_ORGNO, saft_bytes, filename=SAFT_NAME, schema_dir=schema_dir)
    before = ledger.balance(uow, SAFT_ORGNO).trial_balance
    again = imports.import_saft(uow, SAFT_ORGNO, saft_bytes, filename=SAFT_NAME, schema_dir=schema_dir)
    assert again.already_imported
    assert ledger.balance(uow, SAFT_ORGNO).trial_balance == before
    assert len(ledger.open_items(uow, SAFT_ORGNO)) == 4


def test_a_saft_file_of_another_company_is_refused(engine: Engine, saft_bytes: bytes, schema_dir: Path) -> None:
    uow = unit_of_work(engine)
    make_company(uow)
    with pytest.raises(ImportRefused, match="belongs to 888888888"):
        imports.import_saft(uow, ORGNO, saft_bytes, filename=SAFT_NAME, schema_dir=schema_dir)
    assert ledger.open_items(uow, ORGNO) == []


def test_a_saft_file_that_fails_its_schema_stores_nothing(engine: Engine, saft_bytes: bytes, schema_dir: Path) -> None:
    broken = saft_bytes.replace(b"<n1:TransactionDate>", b"<n1:TransactionDate>x", 1)
    uow = unit_of_work(engine)
    with pytest.raises(FileFormatError, match=r"line \d+"):
        imports.import_saft(uow, SAFT_ORGNO, broken, filename="broken.xml", schema_dir=schema_dir)
    with uow:
        assert uow.companies.find(SAFT_ORGNO) is None


CUSTOMERS = b"""number;name;kind;orgno;street;postcode;city;email
10001;Ola Nordmann;consumer;;Storgata 1;0155;Oslo;ola@example.no
10002;Fjord Bygg AS;business;974760673;Torget 4;4006;Stavanger;
"""

INVOICES = b"""number;customer;invoice_date;due_date;amount
1001;10001;2025-03-01;2025-03-15;1 000,00
1002;10002;01.03.2025;15.03.2025;2500.50
"""


def test_customers_and_invoices_from_csv_become_customers_and_open_items(engine: Engine) -> None:
    uow = unit_of_work(engine)
    make_company(uow)
    report = imports.import_customers_csv(uow, ORGNO, CUSTOMERS, filename="kunder.csv")
    assert (report.customers_created, report.customers_updated) == (2, 0)
    imports.import_invoices_csv(uow, ORGNO, INVOICES, filename="fakturaer.csv")
    items = {i.number: i for i in ledger.open_items(uow, ORGNO)}
    assert items["1001"].remaining == Money.of("1000.00")
    assert items["1002"].remaining == Money.of("2500.50")
    assert str(items["1002"].due_date) == "2025-03-15"
    assert ledger.balance(uow, ORGNO).balanced
    assert imports.import_invoices_csv(uow, ORGNO, INVOICES, filename="fakturaer.csv").already_imported
    assert len(ledger.open_items(uow, ORGNO)) == 2


def test_an_invoice_without_a_due_date_is_due_its_customers_terms_after_the_invoice_date(engine: Engine) -> None:
    """A newcomer's finding: the customer's payment terms were not used. 10002 has 30 days' terms: its invoice of
    1 March is due 31 March; 10001 has none, so its invoice keeps no due date (and the proposal says so)."""
    uow = unit_of_work(engine)
    make_company(uow)
    imports.import_customers_csv(
        uow,
        ORGNO,
        b"number;name;payment_terms_days\n10001;Ola Nordmann;\n10002;Fjord Bygg AS;30\n",
        filename="kunder.csv",
    )
    report = imports.import_invoices_csv(
        uow,
        ORGNO,
        b"number;customer;invoice_date;amount\n2001;10001;2025-03-01;100,00\n2002;10002;2025-03-01;200,00\n",
        filename="fakturaer.csv",
    )
    rules = {i.number: (i.due_date, i.due_rule) for i in report.items}
    assert rules == {"2001": (None, "none"), "2002": ("2025-03-31", "customer_terms")}
    items = {i.number: i for i in ledger.open_items(uow, ORGNO)}
    assert items["2001"].due_date is None
    assert str(items["2002"].due_date) == "2025-03-31"


def test_an_invoice_csv_with_unknown_customers_is_refused_whole_naming_each_line(engine: Engine) -> None:
    uow = unit_of_work(engine)
    make_company(uow)
    imports.import_customers_csv(uow, ORGNO, CUSTOMERS, filename="kunder.csv")
    bad = INVOICES + b"1003;99999;2025-03-01;2025-03-15;10\n1004;88888;2025-03-01;2025-03-15;10\n"
    with pytest.raises(ImportRefused) as refused:
        imports.import_invoices_csv(uow, ORGNO, bad, filename="fakturaer.csv")
    assert [(p.where, p.field) for p in refused.value.problems] == [
        ("fakturaer.csv, line 4", "customer"),
        ("fakturaer.csv, line 5", "customer"),
    ]
    assert ledger.open_items(uow, ORGNO) == []


def test_an_invoice_already_in_the_ledger_refuses_the_file(engine: Engine) -> None:
    uow = unit_of_work(engine)
    make_company(uow)
    imports.import_customers_csv(uow, ORGNO, CUSTOMERS, filename="kunder.csv")
    imports.import_invoices_csv(uow, ORGNO, INVOICES, filename="a.csv")
    with pytest.raises(ImportRefused, match="invoice 1001 is already in the ledger"):
        imports.import_invoices_csv(uow, ORGNO, INVOICES + b"\n", filename="b.csv")


def test_a_saft_item_whose_invoice_is_already_in_the_ledger_is_left_as_it_is_and_the_rest_posted_r_imp_1(
    engine: Engine, saft_bytes: bytes, schema_dir: Path
) -> None:
    """Invoice 1054 (customer 1001, 263 500,00) came in by CSV before the SAF-T file: the import leaves it alone,
    says so, and posts the example's three other open items."""
    uow = unit_of_work(engine)
    make_company(uow, SAFT_ORGNO, "Tøyen Lekefabrikk AS")
    customer = b"number;name;kind;orgno;street;postcode;city;email\n1001;Leker pa Nett;consumer;;Kalbakksmuget 224;0885;Oslo;\n"
    imports.import_customers_csv(uow, SAFT_ORGNO, customer, filename="kunder.csv")
    invoice = b"number;customer;invoice_date;due_date;amount\n1054;1001;2017-04-24;2017-05-09;263 500,00\n"
    imports.import_invoices_csv(uow, SAFT_ORGNO, invoice, filename="fakturaer.csv")
    report = imports.import_saft(uow, SAFT_ORGNO, saft_bytes, filename=SAFT_NAME, schema_dir=schema_dir)
    assert report.skipped == ("1054: already in the ledger, left as it is",)
    assert [i.number for i in report.items] == ["1041", "1011-3", "78"]
    items = {i.number: i for i in ledger.open_items(uow, SAFT_ORGNO)}
    assert sorted(items) == ["1011-3", "1041", "1054", "78"]
    assert items["1054"].remaining == Money.of("263500.00")
    assert ledger.balance(uow, SAFT_ORGNO).balanced
