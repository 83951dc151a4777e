"""CSV as Norwegian systems write it: Norwegian column names, `;` `,` or tab, UTF-8 with or without a BOM and
Windows-1252 (docs/imports.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from krav.domain.errors import FileFormatError, ImportRefused, Problem
from krav.domain.money import Money
from krav.domain.party import CustomerKind
from krav.formats.csv_dialect import CP1252, UTF8, Dialect, header_key, sniff
from krav.formats.ledger_csv import (
    CUSTOMER_ALIASES,
    CUSTOMER_COLUMNS,
    INVOICE_ALIASES,
    INVOICE_COLUMNS,
    CsvInvoice,
    parse_customers_csv,
    parse_invoices_csv,
)

# what a Norwegian ERP writes, in its own words, as Windows-1252 with tabs (Excel: "Tekst (tabulatordelt)")
KUNDER = (
    "Kundenr\tKundenavn\tKundetype\tOrg.nr.\tGateadresse\tPostnr\tPoststed\tLand\tE-post\tPurrefritak\t"
    "Betalingsfrist (dager)\tSpråk\tE-post for brev\n"
    "1001\tBjørn Ærlig\tPrivat\t\tÅsveien 3\t0575\tOslo\tNO\tbjorn@example.no\tnei\t14\tnb\tja\n"
    "1002\tFjøsnisse Å/S\tBedrift\t974 760 673\tPostboks 8\t0101\tOslo\t\t\tja\t30\ten\t\n"
)
FAKTURAER = (
    "Fakturanr\tKundenr\tFakturadato\tForfallsdato\tBeløp\tValuta\tKID\tTekst\tBilagsart\tPurrefritak\n"
    "5001\t1001\t15.01.2025\t29.01.2025\t1 234,50\tNOK\t0012344\tRørlegger, januar\t11\tnei\n"
)


def refused(parse: object, data: bytes, filename: str = "f.csv") -> list[Problem]:
    assert callable(parse)
    with pytest.raises(ImportRefused) as excinfo:
        parse(data, filename=filename)
    return list(excinfo.value.problems)


# -- column names ---------------------------------------------------------------------------------------------


def test_a_norwegian_customers_file_in_windows_1252_with_tabs_is_read() -> None:
    data = KUNDER.encode("cp1252")
    assert b"Bj\xf8rn \xc6rlig" in data  # ø and Æ as one byte each: not UTF-8
    bjorn, fjos = parse_customers_csv(data, filename="kunder.txt")
    assert (bjorn.number, bjorn.name, bjorn.kind, bjorn.address.street) == (
        "1001",
        "Bjørn Ærlig",
        CustomerKind.CONSUMER,
        "Åsveien 3",
    )
    assert (bjorn.address.postcode, bjorn.email, bjorn.payment_terms_days, bjorn.email_for_letters) == (
        "0575",
        "bjorn@example.no",
        14,
        True,
    )
    assert (fjos.name, fjos.kind, fjos.orgno, fjos.exempt, fjos.language) == (
        "Fjøsnisse Å/S",
        CustomerKind.BUSINESS,
        "974760673",
        True,
        "en",
    )


def test_a_norwegian_invoices_file_in_windows_1252_with_tabs_is_read() -> None:
    (invoice,) = parse_invoices_csv(FAKTURAER.encode("cp1252"), filename="fakturaer.txt")
    assert invoice == CsvInvoice(
        "5001",
        "1001",
        date(2025, 1, 15),
        Money.of("1234.50"),
        date(2025, 1, 29),
        11,
        "0012344",
        False,
        "Rørlegger, januar",
        line=2,
    )


@pytest.mark.parametrize(
    "header",
    ["Kundenr;Navn", "KUNDENUMMER;kundenavn", "  Kundenr  ; Navn ", "number;NAVN", "kundenr.;navn"],
)
def test_column_names_are_matched_without_case_or_surrounding_spaces(header: str) -> None:
    (customer,) = parse_customers_csv(f"{header}\n1001;Ola\n".encode(), filename="k.csv")
    assert (customer.number, customer.name) == ("1001", "Ola")


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("Adresse", "street"),
        ("Postnummer", "postcode"),
        ("Sted", "city"),
        ("Orgnr", "orgno"),
        ("Organisasjonsnummer", "orgno"),
        ("Epost", "email"),
        ("Type", "kind"),
        ("Betalingsbetingelser", "payment_terms_days"),
        ("Språk", "language"),
    ],
)
def test_each_other_customer_column_name_means_its_column(written: str, column: str) -> None:
    assert CUSTOMER_ALIASES[written.lower()] == column


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("Fakturanummer", "number"),
        ("Kundenr", "customer"),  # in an invoices file the customer number names the customer
        ("Forfall", "due_date"),
        ("Belop", "amount"),
        ("Sum", "amount"),
        ("Beskrivelse", "text"),
        ("Bilagstype", "voucher_type"),
        ("Purrefritak", "exempt"),
    ],
)
def test_each_other_invoice_column_name_means_its_column(written: str, column: str) -> None:
    assert INVOICE_ALIASES[written.lower()] == column


def test_every_other_name_names_a_column_that_exists() -> None:
    assert set(CUSTOMER_ALIASES.values()) <= set(CUSTOMER_COLUMNS)
    assert set(INVOICE_ALIASES.values()) <= set(INVOICE_COLUMNS)


@pytest.mark.parametrize(
    ("written", "kind"),
    [("Privat", "consumer"), ("PERSON", "consumer"), ("bedrift", "business"), ("Firma", "business")],
)
def test_a_customer_kind_is_read_as_norwegian_systems_write_it(written: str, kind: str) -> None:
    (customer,) = parse_customers_csv(f"Kundenr;Navn;Type\n1;A;{written}\n".encode(), filename="k.csv")
    assert customer.kind is CustomerKind(kind)


def test_a_name_that_is_no_column_is_refused_by_name_not_guessed() -> None:
    problems = refused(parse_customers_csv, b"Kundenr;Navn;Telefon;Kundenavn2\n1;A;2;B\n", "k.csv")
    assert [(p.where, p.field) for p in problems] == [("k.csv, line 1", "Telefon"), ("k.csv, line 1", "Kundenavn2")]
    assert all("unknown column" in p.message for p in problems)


def test_two_names_for_one_column_are_refused_naming_both() -> None:
    (problem,) = refused(parse_customers_csv, b"Kundenr;Navn;Kundenavn\n1;A;B\n", "k.csv")
    assert (problem.where, problem.field) == ("k.csv, line 1", "Kundenavn")
    assert problem.message == "column named twice (column name, already as 'Navn')"


def test_a_missing_required_column_names_its_other_names() -> None:
    (problem,) = refused(parse_invoices_csv, b"Fakturanr;Kundenr;Fakturadato\n1;K;2025-01-01\n")
    assert problem.field == "amount"
    assert "required column is missing" in problem.message
    assert "beløp" in problem.message


def test_a_problem_in_a_row_names_the_column_as_the_file_names_it() -> None:
    data = b"Kundenr;Navn;Org.nr.;Postnr\n1;A;974760672;238\n"
    problems = refused(parse_customers_csv, data, "kunder.csv")
    assert [(p.where, p.field) for p in problems] == [
        ("kunder.csv, line 2", "Postnr"),
        ("kunder.csv, line 2", "Org.nr."),
    ]
    assert "kunder.csv, line 2: Org.nr.: '974760672' is not a valid Norwegian organisation number" in str(problems[1])


# -- delimiters -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Kundenr;Navn\n1;Nordmann, Ola\n", ";"),
        ('Kundenr,Navn\n1,"Nordmann, Ola"\n', ","),
        ("Kundenr\tNavn\n1\tNordmann, Ola\n", "\t"),
    ],
)
def test_the_delimiter_is_the_one_the_header_line_uses(text: str, delimiter: str) -> None:
    assert sniff(text.encode(), filename="k.csv").delimiter == delimiter
    (customer,) = parse_customers_csv(text.encode(), filename="k.csv")
    assert customer.name == "Nordmann, Ola"


def test_a_one_column_header_is_read_with_semicolons() -> None:
    assert sniff(b"number\n1\n", filename="k.csv").delimiter == ";"


def test_an_unquoted_amount_with_a_decimal_comma_in_a_comma_file_is_refused_saying_why() -> None:
    (problem,) = refused(parse_invoices_csv, b"number,customer,invoice_date,amount\n1,K,2025-01-01,1 250,00\n")
    assert problem.where == "f.csv, line 2"
    assert "5 fields but the header on line 1 names 4 columns" in problem.message
    assert "comma ',' in it missing its quotes" in problem.message


def test_a_quoted_amount_with_a_decimal_comma_in_a_comma_file_is_read() -> None:
    (invoice,) = parse_invoices_csv(
        b'Fakturanr,Kundenr,Fakturadato,Bel\xc3\xb8p\n1,K,2025-01-01,"1 250,00"\n', filename="f.csv"
    )
    assert invoice.amount == Money.of("1250.00")


# -- encodings ------------------------------------------------------------------------------------------------


def test_utf8_with_and_without_a_byte_order_mark_is_read_as_utf8() -> None:
    text = "Kundenr;Navn\n1;Åse Øvrebø\n"
    for data, bom in ((text.encode(), False), (("\ufeff" + text).encode(), True)):
        assert sniff(data, filename="k.csv") == Dialect(UTF8, bom, ";")
        (customer,) = parse_customers_csv(data, filename="k.csv")
        assert customer.name == "Åse Øvrebø"


def test_a_file_that_is_not_utf8_is_read_as_windows_1252() -> None:
    data = b"Kundenr;Navn\n1;\xc5se \xd8vreb\xf8 \x96 \x80\n"  # Åse Øvrebø – € in Windows-1252
    assert sniff(data, filename="k.csv") == Dialect(CP1252, False, ";")
    (customer,) = parse_customers_csv(data, filename="k.csv")
    assert customer.name == "Åse Øvrebø – €"


def test_a_file_with_a_utf8_mark_that_is_not_utf8_is_refused_not_read_as_windows_1252() -> None:
    with pytest.raises(FileFormatError) as excinfo:
        parse_customers_csv(b"\xef\xbb\xbfKundenr;Navn\n1;A\n2;\xd8ystein\n", filename="k.csv")
    assert excinfo.value.line == 3
    assert "not UTF-8 though it starts with a UTF-8 mark (byte 0xd8)" in str(excinfo.value)


def test_a_file_mixing_utf8_and_windows_1252_is_refused_naming_both_lines() -> None:
    data = "Kundenr;Navn\n1;Bjørn\n".encode() + "2;Bjørn\n".encode("cp1252")
    with pytest.raises(FileFormatError) as excinfo:
        parse_customers_csv(data, filename="k.csv")
    assert excinfo.value.line == 3
    assert "mixes UTF-8 (line 2) with bytes that are not UTF-8 (line 3, byte 0xf8)" in str(excinfo.value)


def test_a_utf16_file_is_refused_with_what_to_do() -> None:
    with pytest.raises(FileFormatError, match=r"UTF-16 .*; save it as CSV UTF-8"):
        parse_customers_csv("Kundenr\tNavn\n1\tA\n".encode("utf-16"), filename="k.txt")


# -- the docs -------------------------------------------------------------------------------------------------

DOCS = Path(__file__).parents[2] / "docs" / "imports.md"


def documented_names(section: str) -> dict[str, str]:
    """The "other names" column of a section's table in docs/imports.md, by :func:`header_key`."""
    text = DOCS.read_text("utf-8").split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    names: dict[str, str] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            names.update({header_key(name): cells[0].strip("`") for name in cells[1].split(",") if name.strip()})
    return names


@pytest.mark.parametrize(
    ("section", "aliases"), [("Customers CSV", CUSTOMER_ALIASES), ("Invoices CSV", INVOICE_ALIASES)]
)
def test_docs_imports_md_lists_exactly_the_other_names_krav_reads(section: str, aliases: dict[str, str]) -> None:
    assert documented_names(section) == aliases
