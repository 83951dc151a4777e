"""Plausibility at every door that stores, on SQLite and PostgreSQL alike: what one database would store and the
other refuse with a traceback (a NUL, a 5 000-digit number, a name longer than its column, 10^17 kroner) is
refused by Krav with the field named, and nothing is stored."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from krav.bootstrap import unit_of_work
from krav.domain.errors import FieldError, FileFormatError, ImportRefused, InputError
from krav.domain.money import Money
from krav.domain.party import Company
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import imports, ledger
from krav.services.collection import payments
from krav.services.ports import UnitOfWork
from tests.builders import FIGURES, ORGNO, consumer, invoice, make_company, post

PAY_DAY = date(2025, 4, 1)


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    unit = unit_of_work(engine)
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001")])
    post(unit, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))
    return unit


def _books(uow: UnitOfWork) -> tuple[Any, ...]:
    """What the books hold: customers, open items and the company, to see that nothing changed."""
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        return (
            company,
            sorted(uow.ledger.customers(company.id).items()),
            sorted((i.number, i.amount) for i in uow.ledger.items(company.id)),
            len(uow.collection.payments()),
        )


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (f"{'1' * 5000};Ola Nordmann", "number"),
        ("10002;Ola\x00Nordmann", "name"),
        ('10002;"Ola\r\nNordmann"', "name"),
        ("10002;Ola;a@b.no\x00", "email"),
    ],
    ids=["5000-digit-number", "nul-in-name", "crlf-in-name", "nul-in-email"],
)
def test_a_customer_file_with_a_value_no_column_holds_is_refused_naming_it(
    uow: UnitOfWork, row: str, field: str
) -> None:
    before = _books(uow)
    data = f"number;name;email\n{row}\n".encode() if row.count(";") == 2 else f"number;name\n{row}\n".encode()
    with pytest.raises(ImportRefused) as caught:
        imports.import_customers_csv(uow, ORGNO, data, filename="kunder.csv")
    assert [(p.where, p.field) for p in caught.value.problems] == [("kunder.csv, line 2", field)]
    assert _books(uow) == before


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("2001;10001;2025-03-01;100000000000000000", "amount"),
        ("2001;10001;2025-03-01;1E+3", "amount"),
        ("2001;10001;0001-01-01;100", "invoice_date"),
        ("2001;10001;9999-12-31;100", "invoice_date"),
        (f"{'2' * 5000};10001;2025-03-01;100", "number"),
        ("2001;10001;2025-03-01;100;Faktura\x00", "text"),
    ],
    ids=["10^17", "exponent", "year-1", "year-9999", "5000-digit-number", "nul-in-text"],
)
def test_an_invoice_file_with_an_implausible_value_is_refused_naming_it(uow: UnitOfWork, row: str, field: str) -> None:
    before = _books(uow)
    data = f"number;customer;invoice_date;amount;text\n{row}\n".encode()
    with pytest.raises(ImportRefused) as caught:
        imports.import_invoices_csv(uow, ORGNO, data, filename="fakturaer.csv")
    assert [(p.where, p.field) for p in caught.value.problems] == [("fakturaer.csv, line 2", field)]
    assert _books(uow) == before


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"account": "1500", "amount": "-1000.00", "customer": "10001", "text": "Innbetaling\x00"}, "text"),
        ({"account": "1500", "amount": "-1000.00", "customer": "10001", "reference": "R" * 101}, "reference"),
        ({"account": "1500", "amount": "-1000.00", "customer": "10001", "kid": "1" * 26}, "kid"),
        ({"account": "1500", "amount": "-1000.00", "customer": "10001", "settles": ["1" * 41]}, "settles"),
    ],
    ids=["nul-in-text", "reference-101", "kid-26", "settles-41"],
)
def test_a_voucher_line_with_a_text_no_column_holds_is_refused_naming_it(
    uow: UnitOfWork, line: dict[str, Any], field: str
) -> None:
    before = _books(uow)
    batch = {"type": 1, "date": "2025-03-20", "lines": [{"account": "1920", "amount": "1000.00"}, line]}
    with pytest.raises(FieldError) as caught:
        ledger.post_batch_file(uow, ORGNO, json.dumps(batch).encode(), filename="bilag.json")
    assert (caught.value.where, caught.value.field) == ("bilag.json, voucher 1, line 2", field)
    assert _books(uow) == before


def test_a_payment_of_ten_to_the_seventeen_is_refused_before_the_books(uow: UnitOfWork) -> None:
    before = _books(uow)
    with pytest.raises(FieldError, match=r"amount: 100000000000000000\.00 is more than"):
        ledger.pay_invoice(uow, FIGURES, ORGNO, "1001", Money.of("1" + "0" * 17), on=PAY_DAY)
    assert _books(uow) == before


def _camt(credit: Credit) -> bytes:
    return build_camt054("16020000000", [credit], message_id="M1", created=datetime(2025, 4, 1, 6, tzinfo=UTC))


@pytest.mark.parametrize(
    ("credit", "field"),
    [
        (Credit("R1", Money.of("100.00"), date(1, 1, 1)), "date paid"),
        (Credit("R1", Money.of("100.00"), date(9999, 12, 31)), "date paid"),
        (Credit("R" * 201, Money.of("100.00"), PAY_DAY), "reference"),
        (Credit("R1", Money.of("100.00"), PAY_DAY, kid="1" * 26), "KID"),
    ],
    ids=["year-1", "year-9999", "reference-201", "kid-26"],
)
def test_a_client_account_file_with_an_implausible_payment_is_refused_whole(
    uow: UnitOfWork, credit: Credit, field: str
) -> None:
    with pytest.raises(ImportRefused) as caught:
        payments.import_payments(uow, _camt(credit), filename="c.xml")
    assert [p.field for p in caught.value.problems] == [field]
    with uow:
        assert uow.collection.payments() == []


def test_a_payer_name_over_200_characters_is_refused_not_a_data_error(uow: UnitOfWork) -> None:
    data = _camt(Credit("R1", Money.of("100.00"), PAY_DAY, payer_name="Ola")).replace(
        b"<Nm>Ola</Nm>", b"<Nm>" + b"N" * 250 + b"</Nm>"
    )
    with pytest.raises(ImportRefused, match="payer name: is 250 characters long; at most 200 fit"):
        payments.import_payments(uow, data, filename="c.xml")
    with uow:
        assert uow.collection.payments() == []


@pytest.mark.parametrize(
    "amount", [b"1" * 29, b"1E+3", b"100000000000000000.00", b"999999999999999.99"], ids=["29", "exp", "e17", "e15"]
)
def test_a_client_account_amount_out_of_bounds_is_a_file_error_not_a_traceback(uow: UnitOfWork, amount: bytes) -> None:
    data = _camt(Credit("R1", Money.of("123.45"), PAY_DAY)).replace(b">123.45<", b">" + amount + b"<")
    with pytest.raises(FileFormatError, match="Ntry/Amt"):
        payments.import_payments(uow, data, filename="c.xml")
    with uow:
        assert uow.collection.payments() == []


def test_a_bank_file_dated_more_than_a_year_after_the_business_date_is_refused(uow: UnitOfWork) -> None:
    data = _camt(Credit("R1", Money.of("100.00"), date(2026, 6, 1)))
    with pytest.raises(ImportRefused, match="date paid: 2026-06-01 is not a plausible date"):
        ledger.import_bank_file(uow, FIGURES, ORGNO, data, filename="bank.xml", on=PAY_DAY)


@pytest.mark.parametrize(
    "changes",
    [{"name": "Eksempel AS\r\nBcc: x@example.com"}, {"name": "N" * 201}, {"email": "post@eksempel.no\r\nBcc: x"}],
    ids=["crlf-name", "long-name", "crlf-email"],
)
def test_a_company_name_or_address_with_a_line_break_is_refused_at_create_and_set(
    uow: UnitOfWork, changes: dict[str, str]
) -> None:
    (field,) = changes
    with pytest.raises(FieldError) as caught:
        ledger.update_company(uow, ORGNO, changes)
    assert caught.value.field == field
    with pytest.raises(FieldError) as caught:
        ledger.create_company(uow, Company(orgno="916000006", **{"name": "Ny AS", **changes}))  # type: ignore[arg-type]
    assert caught.value.field == field
    with uow:
        assert uow.companies.get(ORGNO).name == "Eksempel AS"
        assert uow.companies.find("916000006") is None


def test_a_saft_file_whose_company_name_breaks_lines_is_refused(engine: Engine) -> None:
    from tests.unit.test_saft import SCHEMAS, saft_130

    uow = unit_of_work(engine)
    data = saft_130().replace(b"<Name>Kreditor AS</Name>", b"<Name>Kreditor AS&#13;&#10;Bcc: x@example.com</Name>")
    with pytest.raises(InputError, match="name: has a control character"):
        imports.import_saft(uow, "974760673", data, filename="k1.xml", schema_dir=SCHEMAS)
    with uow:
        assert uow.companies.find("974760673") is None
