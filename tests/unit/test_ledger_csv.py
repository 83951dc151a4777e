"""Customers and invoices from CSV: the documented columns, and every bad row reported with its line."""

from __future__ import annotations

from datetime import date

import pytest

from krav.domain.errors import FileFormatError, ImportRefused, Problem
from krav.domain.money import Money
from krav.domain.party import Address, Customer, CustomerKind
from krav.formats.ledger_csv import CsvInvoice, parse_customers_csv, parse_invoices_csv

# -- customers ----------------------------------------------------------------------------------------------

CUSTOMERS = """number;name;kind;orgno;street;postcode;city;country;email;exempt;payment_terms_days;language
1001;Ola Nordmann;;;Storgata 1;0155;Oslo;;ola@example.no;;;
1002;Bedrift AS;;974 760 673;Postboks 8;0101;Oslo;no;post@bedrift.no;ja;30;en
1003;Sven Svensson;consumer;;Drottninggatan 1;111 51;Stockholm;SE;;nei;10;nb
"""


def refused(parse: object, data: str | bytes, filename: str = "f.csv") -> list[Problem]:
    assert callable(parse)
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(ImportRefused) as excinfo:
        parse(raw, filename=filename)
    assert excinfo.value.file == filename
    return list(excinfo.value.problems)


def test_customers_are_read_with_their_defaults() -> None:
    customers = parse_customers_csv(CUSTOMERS.encode(), filename="kunder.csv")
    assert customers == [
        Customer(
            number="1001",
            name="Ola Nordmann",
            kind=CustomerKind.CONSUMER,
            address=Address("Storgata 1", "0155", "Oslo", "NO"),
            email="ola@example.no",
        ),
        Customer(
            number="1002",
            name="Bedrift AS",
            kind=CustomerKind.BUSINESS,  # an orgno makes a business unless the kind says otherwise
            orgno="974760673",
            address=Address("Postboks 8", "0101", "Oslo", "NO"),
            email="post@bedrift.no",
            exempt=True,
            payment_terms_days=30,
            language="en",
        ),
        Customer(
            number="1003",
            name="Sven Svensson",
            address=Address("Drottninggatan 1", "111 51", "Stockholm", "SE"),  # foreign postcodes as written
            payment_terms_days=10,
        ),
    ]


def test_customers_may_be_comma_separated_with_a_bom_and_columns_in_any_order() -> None:
    data = '\ufeffName,Number,orgno,kind\n"Nordmann, Ola",1001,,\nBedrift AS,1002,974760673,consumer\n'
    customers = parse_customers_csv(data.encode(), filename="k.csv")
    assert [(c.number, c.name, c.kind, c.orgno) for c in customers] == [
        ("1001", "Nordmann, Ola", CustomerKind.CONSUMER, None),
        ("1002", "Bedrift AS", CustomerKind.CONSUMER, "974760673"),
    ]


@pytest.mark.parametrize(
    ("text", "exempt"), [("ja", True), ("NEI", False), ("true", True), ("False", False), ("1", True), ("0", False)]
)
def test_exempt_reads_ja_nei_true_false_1_0(text: str, exempt: bool) -> None:
    (customer,) = parse_customers_csv(f"number;name;exempt\n1;A;{text}\n".encode(), filename="k.csv")
    assert customer.exempt is exempt


def test_an_unknown_column_and_a_missing_required_column_refuse_the_file_at_line_1() -> None:
    problems = refused(parse_customers_csv, "number;nvan;telefon\n1;A;2\n", "k.csv")
    assert [(p.where, p.field) for p in problems] == [
        ("k.csv, line 1", "nvan"),
        ("k.csv, line 1", "telefon"),
        ("k.csv, line 1", "name"),
    ]
    assert "unknown column" in problems[0].message
    assert "required column is missing" in problems[2].message


def test_an_invalid_orgno_is_refused_through_check_customer_r_party_1() -> None:
    (problem,) = refused(parse_customers_csv, "number;name;orgno\n1;A;974760672\n", "k.csv")
    assert (problem.where, problem.field) == ("k.csv, line 2", "orgno")
    assert "not a valid Norwegian organisation number" in problem.message


def test_every_bad_row_and_field_is_reported_not_just_the_first() -> None:
    data = (
        "number;name;kind;orgno;postcode;country;email;exempt;payment_terms_days;language\n"
        "1;A;private;;238;;a@b;kanskje;400;de\n"
        "\n"
        "2;;;123;;Norway;;;;\n"
        "1;C;;;;;;;;\n"
    )
    problems = refused(parse_customers_csv, data, "k.csv")
    got = [(p.where, p.field) for p in problems]
    assert got == [
        ("k.csv, line 2", "kind"),
        ("k.csv, line 2", "postcode"),
        ("k.csv, line 2", "email"),
        ("k.csv, line 2", "exempt"),
        ("k.csv, line 2", "payment_terms_days"),
        ("k.csv, line 2", "language"),
        ("k.csv, line 4", "name"),
        ("k.csv, line 4", "country"),
        ("k.csv, line 4", "orgno"),  # a row's problems are all reported, even with its name missing
        ("k.csv, line 5", "number"),
    ]
    messages = {p.field: p.message for p in problems}
    assert "leading 0" in messages["postcode"]
    assert "already on line 2" in messages["number"]


def test_a_duplicate_customer_number_names_the_first_line() -> None:
    (problem,) = refused(parse_customers_csv, "number;name\n7;A\n8;B\n7;C\n", "k.csv")
    assert (problem.where, problem.field) == ("k.csv, line 4", "number")
    assert problem.message == "customer number 7 is already on line 2"


def test_an_orgno_problem_and_an_email_problem_on_one_row_are_both_reported() -> None:
    problems = refused(parse_customers_csv, "number;name;orgno;email\n1;A;123;nope\n", "k.csv")
    assert {p.field for p in problems} == {"orgno", "email"}


# -- invoices -----------------------------------------------------------------------------------------------

INVOICES = """number;customer;invoice_date;due_date;amount;currency;voucher_type;kid;exempt;text
5001;1001;2025-01-15;2025-01-29;1234.50;;;;;Konsulenttimer
5002;1001;15.01.2025;;1234,50;eur;12;0012344;ja;
5003;1002;5.2.2025;;1 234,50;;;;;
"""


def test_invoices_are_read_with_both_date_forms_and_all_amount_forms() -> None:
    invoices = parse_invoices_csv(INVOICES.encode(), filename="fakturaer.csv")
    assert invoices == [
        CsvInvoice(
            "5001", "1001", date(2025, 1, 15), Money.of("1234.50"), date(2025, 1, 29), text="Konsulenttimer", line=2
        ),
        CsvInvoice("5002", "1001", date(2025, 1, 15), Money.of("1234.50", "EUR"), None, 12, "0012344", True, line=3),
        CsvInvoice("5003", "1002", date(2025, 2, 5), Money.of("1234.50"), line=4),
    ]
    assert (invoices[0].currency, invoices[0].voucher_type, invoices[0].kid, invoices[0].exempt) == (
        "NOK",
        11,
        None,
        False,
    )


def test_a_comma_separated_invoice_file_takes_quoted_decimal_commas() -> None:
    data = 'number,customer,invoice_date,amount\n1,K,2025-03-01,"99,90"\n'
    (invoice,) = parse_invoices_csv(data.encode(), filename="f.csv")
    assert invoice.amount == Money.of("99.90")


def test_a_negative_amount_is_refused_as_credit_notes_are_posted_as_vouchers() -> None:
    (problem,) = refused(parse_invoices_csv, "number;customer;invoice_date;amount\n1;K;2025-01-01;-100,00\n")
    assert (problem.where, problem.field) == ("f.csv, line 2", "amount")
    assert "credit note" in problem.message


@pytest.mark.parametrize(
    ("amount", "says"),
    [("0", "is 0"), ("12.345", "more than two decimals"), ("1.2.3", "not an amount"), ("kr 100", "not an amount")],
)
def test_bad_amounts_are_refused(amount: str, says: str) -> None:
    (problem,) = refused(parse_invoices_csv, f"number;customer;invoice_date;amount\n1;K;2025-01-01;{amount}\n")
    assert problem.field == "amount"
    assert says in problem.message


@pytest.mark.parametrize(
    ("text", "says"),
    [("2025/01/31", "not a date"), ("31.02.2025", "not a date in the calendar"), ("1.1.25", "not a date")],
)
def test_bad_dates_are_refused(text: str, says: str) -> None:
    (problem,) = refused(parse_invoices_csv, f"number;customer;invoice_date;amount\n1;K;{text};10\n")
    assert problem.field == "invoice_date"
    assert says in problem.message


def test_a_due_date_before_the_invoice_date_is_refused() -> None:
    (problem,) = refused(
        parse_invoices_csv, "number;customer;invoice_date;due_date;amount\n1;K;2025-02-01;2025-01-01;10\n"
    )
    assert problem.field == "due_date"


def test_a_kid_failing_its_check_digit_is_refused_r_bank_1() -> None:
    (problem,) = refused(parse_invoices_csv, "number;customer;invoice_date;amount;kid\n1;K;2025-02-01;10;0012345\n")
    assert problem.field == "kid"
    assert "check digit" in problem.message


def test_every_bad_invoice_row_is_reported_with_its_line() -> None:
    data = (
        "number;customer;invoice_date;amount;currency;voucher_type\n"
        "1;;2025-01-01;10;NOK;11\n"
        "2;K;;abc;NORSK;x\n"
        "1;K;2025-01-01;10;;\n"
        "3;K;2025-01-01;10;;;extra\n"
    )
    problems = refused(parse_invoices_csv, data)
    assert [(p.where, p.field) for p in problems] == [
        ("f.csv, line 2", "customer"),
        ("f.csv, line 3", "invoice_date"),
        ("f.csv, line 3", "currency"),
        ("f.csv, line 3", "amount"),
        ("f.csv, line 3", "voucher_type"),
        ("f.csv, line 4", "number"),
        ("f.csv, line 5", None),
    ]
    assert "invoice number 1 is already on line 2" in problems[5].message
    assert "7 fields but the header on line 1 names 6 columns" in problems[6].message


def test_a_required_invoice_column_missing_from_the_header_is_refused() -> None:
    problems = refused(parse_invoices_csv, "number;customer;amount\n1;K;10\n")
    assert [(p.where, p.field) for p in problems] == [("f.csv, line 1", "invoice_date")]


# -- files that are no CSV at all ---------------------------------------------------------------------------


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused_with_its_line() -> None:
    data = "number;name\n1;Ærlig\n".encode("latin-1") + b"2;\x81\n"  # 0x81: no character in Windows-1252
    with pytest.raises(FileFormatError) as excinfo:
        parse_customers_csv(data, filename="latin1.csv")
    assert excinfo.value.line == 3
    assert "neither UTF-8 nor Windows-1252 (byte 0x81)" in str(excinfo.value)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FileFormatError, match="empty"):
        parse_invoices_csv(b"\n \n", filename="tom.csv")


def test_a_file_with_only_a_header_has_no_rows() -> None:
    assert parse_invoices_csv(b"number;customer;invoice_date;amount\n", filename="f.csv") == []


@pytest.mark.parametrize(
    ("text", "given"),
    [("ja", True), ("yes", True), ("true", True), ("nei", False), ("No", False), ("false", False), ("", None)],
)
def test_email_for_letters_reads_yes_and_no_and_says_nothing_when_empty_r_svc_2(text: str, given: bool | None) -> None:
    data = f"number;name;email;email_for_letters\n1;A;a@example.no;{text}\n"
    (customer,) = parse_customers_csv(data.encode(), filename="k.csv")
    assert customer.email_for_letters is given


def test_a_file_without_the_column_says_nothing_about_letters_by_email_r_svc_2() -> None:
    (customer,) = parse_customers_csv(b"number;name;email\n1;A;a@example.no\n", filename="k.csv")
    assert customer.email_for_letters is None


def test_letters_by_email_without_an_address_is_refused_with_its_line_r_svc_2() -> None:
    problems = refused(parse_customers_csv, "number;name;email;email_for_letters\n1;A;;ja\n")
    assert [(p.where, p.field) for p in problems] == [("f.csv, line 2", "email_for_letters")]
    assert "e-mail address" in problems[0].message
