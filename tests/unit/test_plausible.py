"""Plausibility at every door (krav.domain.plausible): the bounds themselves, and each format that reads amounts,
dates and texts from outside refusing what is out of them with the field named, never with a traceback."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from krav.domain.errors import FieldError, FileFormatError, ImportRefused, InputError
from krav.domain.money import Money
from krav.domain.party import Address, Company, Customer, check_company, check_customer
from krav.domain.plausible import (
    MAX_AMOUNT,
    check_amount,
    check_date,
    check_file_size,
    check_text,
    payment_dates,
    read_amount,
)
from krav.formats.camt054_writer import Credit, build_camt054
from krav.formats.ledger_csv import parse_customers_csv, parse_invoices_csv
from krav.formats.payments import parse_payment_file
from krav.formats.saft import parse_saft
from krav.formats.scenario import parse_scenario
from krav.formats.voucher_json import parse_batch_json
from tests.conftest import SCENARIOS
from tests.unit.test_ocr_giro import Tx, ocr_file
from tests.unit.test_saft import SCHEMAS, saft_130

# -- the bounds ---------------------------------------------------------------------------------------------


def test_an_amount_is_at_most_a_hundred_billion_either_way_and_exact_to_the_ore() -> None:
    assert check_amount(Money.of(MAX_AMOUNT), field="amount") == Money.of(MAX_AMOUNT)
    assert check_amount(-MAX_AMOUNT, field="amount") == -MAX_AMOUNT
    for too_much in (MAX_AMOUNT + Decimal("0.01"), Decimal("1E+15"), Decimal("-1E+17"), Decimal("9" * 5000)):
        with pytest.raises(FieldError, match="more than the 100 000 000 000,00 Krav takes") as caught:
            check_amount(too_much, field="Amt")
        assert caught.value.field == "Amt"
    with pytest.raises(FieldError, match="more than two decimals"):
        check_amount(Decimal("1.005"), field="amount")


def test_an_amount_of_zero_is_refused_where_a_payment_or_an_invoice_is_meant() -> None:
    with pytest.raises(FieldError, match=r"is 0\.00"):
        check_amount(Money.zero(), field="amount")
    assert check_amount(Money.zero(), field="balance", allow_zero=True) == Money.zero()


@pytest.mark.parametrize("text", ["1E+3", "1e3", "NaN", "Infinity", "-inf", "1,5", "0x10", "", " ", "1.2.3"])
def test_an_amount_written_by_a_machine_is_plain_digits_never_an_exponent(text: str) -> None:
    with pytest.raises(FieldError, match="is not an amount"):
        read_amount(text, field="amount")


def test_a_29_digit_amount_is_refused_by_its_size_not_a_decimal_error() -> None:
    with pytest.raises(FieldError, match=r"Amt: 1{29} is more than the 100 000 000 000,00 Krav takes"):
        read_amount("1" * 29, field="Amt")
    with pytest.raises(FieldError, match=r"Amt: 1{12}…1{6} \(5000 characters\) is more than"):
        read_amount("1" * 5000, field="Amt")
    assert read_amount("+1000.50", field="Amt") == Decimal("1000.50")


def test_money_of_a_number_no_decimal_context_holds_is_a_value_error_not_invalid_operation() -> None:
    with pytest.raises(ValueError, match="not an amount of money"):
        Money.of("9" * 5000)
    for value in (Decimal("NaN"), Decimal("Infinity"), Decimal("9" * 40)):
        with pytest.raises(ValueError, match=r"not an amount|round first"):
            Money.of(value)


def test_dates_lie_from_1990_to_2099_and_a_payment_at_most_a_year_after_the_business_date() -> None:
    for day in (date(1, 1, 1), date(1989, 12, 31), date(2100, 1, 1), date(9999, 12, 31)):
        with pytest.raises(FieldError, match="is not a plausible date"):
            check_date(day, field="date")
    assert check_date(date(1992, 1, 20), field="date") == date(1992, 1, 20)
    assert payment_dates(None) == (date(1990, 1, 1), date(2099, 12, 31))
    assert payment_dates(date(2025, 4, 1)) == (date(1990, 1, 1), date(2026, 4, 2))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Eksempel AS\r\nBcc: x@example.com", "control character (CR, U+000D) at position 12; write it on one line"),
        ("Ola\x00", "control character (NUL, U+0000) at position 4"),
        ("Ola\u2028Nordmann", "control character (control, U+2028)"),
        ("\ud800", "control character (control, U+D800)"),
        ("x" * 201, "is 201 characters long; at most 200 fit"),
    ],
)
def test_a_name_is_refused_when_too_long_or_holding_a_control_character(value: str, problem: str) -> None:
    with pytest.raises(FieldError) as caught:
        check_text(value, field="name", limit=200)
    assert (caught.value.field, problem in caught.value.problem) == ("name", True)


def test_free_text_may_break_lines_but_never_hold_a_nul() -> None:
    assert check_text("linje 1\r\nlinje 2\tx", field="text", limit=500, multiline=True) == "linje 1\r\nlinje 2\tx"
    with pytest.raises(FieldError, match="NUL"):
        check_text("a\x00b", field="text", limit=500, multiline=True)


def test_a_file_over_the_limit_is_refused_naming_its_size() -> None:
    check_file_size(100 * 1024 * 1024, file="ok.xml")
    with pytest.raises(
        FileFormatError, match=r"stor\.xml: the file is 200\.0 MB; Krav reads files of at most 100\.0 MB"
    ):
        check_file_size(200 * 1024 * 1024, file="stor.xml")


def test_a_company_name_with_a_line_break_and_a_customer_number_of_5000_digits_are_refused() -> None:
    with pytest.raises(FieldError, match="name: has a control character"):
        check_company(Company("974760673", "Eksempel AS\r\nBcc: x@example.com"))
    with pytest.raises(FieldError, match="email: has a control character"):
        check_company(Company("974760673", "Eksempel AS", email="post@eksempel.no\r\n"))
    with pytest.raises(FieldError, match="number: is 5000 characters long; at most 40 fit"):
        check_customer(Customer("1" * 5000, "Ola"))
    with pytest.raises(FieldError, match="city: is 101 characters long"):
        check_customer(Customer("1", "Ola", address=Address("Gate 1", "0155", "x" * 101)))


# -- the formats --------------------------------------------------------------------------------------------


def _voucher_json(amount: str, *, text: str = "Innbetaling", day: str = "2025-03-03") -> bytes:
    lines = f'[{{"account": "1920", "amount": {amount}}}, {{"account": "1500", "amount": "-1000.00"}}]'
    return f'{{"type": 1, "date": "{day}", "text": {json.dumps(text)}, "lines": {lines}}}'.encode()


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        ("1E+3", "'1E+3' is not an amount"),
        ('"1E+3"', "'1E+3' is not an amount"),
        ("100000000000000000", "more than the 100 000 000 000,00"),
        ('"999999999999999.99"', "more than the 100 000 000 000,00"),
        ("1000.001", "more than two decimals"),
    ],
)
def test_a_voucher_amount_with_an_exponent_or_beyond_the_maximum_is_refused_naming_the_line(
    amount: str, problem: str
) -> None:
    with pytest.raises(FieldError) as caught:
        parse_batch_json(_voucher_json(amount), filename="bilag.json")
    assert (caught.value.where, caught.value.field) == ("bilag.json, voucher 1, line 1", "amount")
    assert problem in caught.value.problem


def test_a_json_number_of_5000_digits_is_refused_as_a_file_error_not_a_traceback() -> None:
    with pytest.raises(FileFormatError, match="a number of 5000 digits"):
        parse_batch_json(_voucher_json("9" * 5000), filename="bilag.json")


def test_a_voucher_dated_year_1_or_9999_is_refused() -> None:
    for day in ("0001-01-01", "9999-12-31"):
        with pytest.raises(FieldError, match=f"date: {day} is not a plausible date"):
            parse_batch_json(_voucher_json('"1000.00"', day=day), filename="bilag.json")


def test_csv_customers_with_a_nul_a_line_break_or_a_5000_digit_number_are_refused_naming_line_and_column() -> None:
    data = (f'number;name;city\n{"1" * 5000};Ola;Oslo\n10002;Kari\x00;Oslo\n10003;"Per\r\nPål";Oslo\n').encode()
    with pytest.raises(ImportRefused) as caught:
        parse_customers_csv(data, filename="kunder.csv")
    found = [(p.where, p.field) for p in caught.value.problems]
    assert found == [("kunder.csv, line 2", "number"), ("kunder.csv, line 3", "name"), ("kunder.csv, line 4", "name")]


def test_csv_invoices_with_huge_amounts_or_implausible_dates_are_refused_naming_line_and_column() -> None:
    data = (
        "number,customer,invoice_date,amount\n"
        "1,10001,2025-01-31,100000000000000000\n"
        f"2,10001,2025-01-31,{'9' * 5000}\n"
        "3,10001,0001-01-01,100\n"
        "4,10001,31.12.9999,100\n"
        f"{'5' * 41},10001,2025-01-31,100\n"
        "6,10001,2025-01-31,1E+3\n"
    ).encode()
    with pytest.raises(ImportRefused) as caught:
        parse_invoices_csv(data, filename="fakturaer.csv")
    found = [(p.where.rsplit(" ", 1)[1], p.field) for p in caught.value.problems]
    assert found == [
        ("2", "amount"),
        ("3", "amount"),
        ("4", "invoice_date"),
        ("5", "invoice_date"),
        ("6", "number"),
        ("7", "amount"),
    ]


def _camt(amount: Money, booked: date = date(2025, 4, 1), reference: str = "R1") -> bytes:
    from datetime import UTC, datetime

    credit = Credit(reference, amount, booked, kid="0000531")
    return build_camt054("16020000000", [credit], message_id="M1", created=datetime(2025, 4, 1, 6, tzinfo=UTC))


def test_a_camt054_amount_of_29_digits_or_with_an_exponent_is_refused_naming_the_element() -> None:
    good = _camt(Money.of("100.00"))
    for written, problem in ((b"1" * 29, "1" * 29 + " is more than the"), (b"1E+3", "'1E+3' is not an amount")):
        with pytest.raises(FileFormatError) as caught:
            parse_payment_file(good.replace(b">100.00<", b">" + written + b"<"), filename="c.xml")
        assert (caught.value.element, problem in caught.value.problem) == ("Ntry/Amt", True)


def test_a_payment_of_ten_to_the_fifteen_kroner_is_refused_in_either_format() -> None:
    with pytest.raises(FileFormatError, match=r"999999999999999\.99 is more than"):
        parse_payment_file(_camt(Money.of("999999999999999.99")), filename="c.xml")
    with pytest.raises(ImportRefused) as caught:
        parse_payment_file(ocr_file([[Tx(99_999_999_999_999_999, "0000531")]]), filename="o.txt")
    assert [(p.field, "more than the 100 000 000 000,00" in p.message) for p in caught.value.problems] == [
        ("amount", True)
    ]


def test_a_payment_of_zero_is_refused() -> None:
    with pytest.raises(ImportRefused, match=r"amount: is 0\.00"):
        parse_payment_file(ocr_file([[Tx(0, "0000531")]]), filename="o.txt")


@pytest.mark.parametrize("booked", [date(1, 1, 1), date(9999, 12, 31)])
def test_a_payment_dated_year_1_or_9999_is_refused(booked: date) -> None:
    with pytest.raises(ImportRefused) as caught:
        parse_payment_file(_camt(Money.of("100.00"), booked), filename="c.xml")
    assert {p.field for p in caught.value.problems} == {"date paid"}


def test_a_payment_more_than_a_year_after_the_business_date_is_refused() -> None:
    data = _camt(Money.of("100.00"), date(2026, 6, 1))
    assert parse_payment_file(data, filename="c.xml").payments[0].paid_on == date(2026, 6, 1)
    with pytest.raises(ImportRefused, match="date paid: 2026-06-01 is not a plausible date"):
        parse_payment_file(data, filename="c.xml", on=date(2025, 4, 1))


def test_a_reference_or_payer_name_longer_than_its_column_is_refused() -> None:
    data = _camt(Money.of("100.00"), reference="R" * 250)
    with pytest.raises(ImportRefused) as caught:
        parse_payment_file(data, filename="c.xml")
    assert {p.field for p in caught.value.problems} == {"reference"}
    named = _camt(Money.of("100.00")).replace(
        b"<RmtInf>", b"<RltdPties><Dbtr><Nm>" + b"N" * 201 + b"</Nm></Dbtr></RltdPties><RmtInf>"
    )
    with pytest.raises(ImportRefused, match="payer name: is 201 characters long"):
        parse_payment_file(named, filename="c.xml")


def test_a_saft_file_of_an_unknown_version_is_refused_naming_the_element() -> None:
    data = saft_130().replace(b"<AuditFileVersion>1.30<", b"<AuditFileVersion>9.99<")
    with pytest.raises(FileFormatError) as caught:
        parse_saft(data, filename="k1.xml", schema_dir=SCHEMAS)
    assert caught.value.element == "Header/AuditFileVersion"
    assert "'9.99' is not a SAF-T Financial version Krav reads (1.10 or 1.30)" in caught.value.problem


def test_a_negative_amount_in_a_saft_balance_is_refused_and_a_credit_balance_is_taken() -> None:
    negative = saft_130().replace(
        b"<OpeningDebitBalance>300.00</OpeningDebitBalance>", b"<OpeningDebitBalance>-300.00</OpeningDebitBalance>"
    )
    with pytest.raises(ImportRefused) as caught:
        parse_saft(negative, filename="k1.xml", schema_dir=SCHEMAS)
    [problem] = caught.value.problems
    assert (problem.field, problem.message) == (
        "OpeningDebitBalance",
        "-300.00 is negative; write a credit balance as OpeningCreditBalance",
    )
    credit = saft_130("1000.00").replace(
        b"<OpeningDebitBalance>300.00</OpeningDebitBalance>", b"<OpeningCreditBalance>300.00</OpeningCreditBalance>"
    )
    saft = parse_saft(credit, filename="k1.xml", schema_dir=SCHEMAS)
    assert saft.customers[0].opening_balance == Money.of("-300.00")


def test_a_saft_amount_beyond_the_maximum_and_a_date_in_year_1_are_refused_naming_the_line() -> None:
    huge = saft_130().replace(b"<Amount>400.00</Amount>", b"<Amount>9999999999999999.99</Amount>")
    with pytest.raises(ImportRefused, match=r"Amount: 9999999999999999\.99 is more than"):
        parse_saft(huge, filename="k1.xml", schema_dir=SCHEMAS)
    old = saft_130().replace(
        b"<TransactionDate>2025-01-05</TransactionDate>", b"<TransactionDate>0001-01-05</TransactionDate>"
    )
    with pytest.raises(ImportRefused, match="TransactionDate: 0001-01-05 is not a plausible date"):
        parse_saft(old, filename="k1.xml", schema_dir=SCHEMAS)


def test_a_scenario_amount_written_as_a_yaml_float_or_beyond_the_maximum_is_refused() -> None:
    source = (SCENARIOS / "a_notice_paid_in_time.yaml").read_bytes()
    assert b'amount: "1000.00"' in source
    for written, problem in (
        (b"amount: 1E+3", "quote it"),
        (b'amount: "1E+3"', "not an amount"),
        (b'amount: "1e17"', "not an amount"),
    ):
        with pytest.raises(InputError, match=problem):
            parse_scenario(source.replace(b'amount: "1000.00"', written, 1), filename="s.yaml")
    with pytest.raises(FieldError, match="more than the 100 000 000 000,00"):
        parse_scenario(source.replace(b'amount: "1000.00"', b'amount: "100000000000000000"', 1), filename="s.yaml")
