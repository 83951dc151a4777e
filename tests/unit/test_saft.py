"""SAF-T Financial import: the official example file, a 1.30 file, and files that must be refused (R-IMP-1).

The example is Skatteetaten's ``ExampleFile SAF-T Financial_888888888_20180228235959.xml`` (SAF-T 1.10, read
from ``../shared/fixtures/saft/``, never copied). Its receivables account is 1500; the 25 lines on it that
name a customer are, by customer (TransactionID/RecordID, TransactionDate, signed amount, SourceDocumentID —
no line has a ReferenceNumber or a DueDate):

====  ==========================================================================================
1000  opening 32 000,00 · 1006 01-09 +50 000,00 (1234) · 1022/3 02-23 −50 000,00 (234) ·
      1028/5 03-01 −32 000,00 (235) · 1034 03-11 +112 500,00 (1234) · 1039/3 03-18 −112 500,00 (237)
      = 32 000 + 50 000 − 50 000 − 32 000 + 112 500 − 112 500 = 0,00 = closing
1001  opening 2 000,00 · 1005 01-12 +440 000,00 (1234) · 1011/2 01-23 −400 000,00 (234) ·
      1013 01-27 +203 648,75 (14) · 1041 01-27 +203 648,75 (14) · 1028/2 03-01 −243 648,75 (235) ·
      1039/2 03-18 −203 648,75 (237) · 1054 04-24 +263 500,00 (14)
      = 2 000 + 1 112 797,50 − 847 297,50 = 265 500,00 = closing
1002  opening 0 · 1025 02-27 +154 000,00 (14) · 1028/4 03-01 −154 000,00 · 1049 04-09 +455 000,00 (1234) ·
      1052/3 04-14 −455 000,00 = 0,00 = closing
1003  opening 100,00 · 1011/3 01-23 −140 100,00 (234) · 1033 03-10 +428 750,00 (1234) ·
      1039/4 03-18 −428 750,00 = 100 − 140 100 + 428 750 − 428 750 = −140 000,00 = closing (credit)
1004  opening 0 · 1019 02-11 +384 500,00 (1234) · 1022/2 02-23 −384 500,00 · 1050 04-12 +122 125,00 (78) ·
      1052/2 04-14 −112 125,00 = 122 125 − 112 125 = 10 000,00 = closing
1005  opening 12 700,00 · 1020 02-09 +77 750,00 (77) · 1028/3 03-01 −90 450,00 (235)
      = 12 700 + 77 750 − 90 450 = 0,00 = closing
====  ==========================================================================================

Numbers: SourceDocumentID 1234 is on six invoices, 14 on four, 234/235/237/239 on several payments, so those
identify nothing and the TransactionID numbers the item (``TransactionID-RecordID`` where a payment voucher
has lines for several customers); 77 and 78 are each on one line and number their invoices.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from krav.domain.errors import FileFormatError, ImportRefused
from krav.domain.ledger.rebuild import DueRule, NumberRule, RebuiltItem
from krav.domain.money import Money
from krav.domain.party import CustomerKind
from krav.formats.saft import SaftFile, parse_saft, rebuild_from_saft

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
SCHEMAS = FIXTURES / "saft"
EXAMPLE = SCHEMAS / "ExampleFile SAF-T Financial_888888888_20180228235959.xml"


@pytest.fixture(scope="module")
def example() -> SaftFile:
    assert EXAMPLE.is_file(), f"the official SAF-T example file is missing at {EXAMPLE}"
    return parse_saft(EXAMPLE.read_bytes(), filename=EXAMPLE.name, schema_dir=SCHEMAS)


def nok(amount: str) -> Money:
    return Money.of(amount)


def summary(item: RebuiltItem) -> tuple[str, str, Decimal, Decimal, date, date | None, str, str]:
    return (
        item.number,
        item.number_rule,
        item.amount.amount,
        item.remaining.amount,
        item.invoice_date,
        item.due_date,
        item.due_rule,
        item.amount.currency,
    )


# -- the official example file ------------------------------------------------------------------------------


def test_example_header_says_1_0_but_validates_as_1_10_and_covers_january_to_april_2017(
    example: SaftFile,
) -> None:
    header = example.header
    assert header.audit_file_version == "1.0"
    assert header.schema_version == "1.10"
    assert (header.company_orgno, header.company_name) == ("888888888", "Tøyen Lekefabrikk AS")
    assert header.default_currency == "NOK"
    # PeriodStart 01 / PeriodStartYear 2017 … PeriodEnd 04 / PeriodEndYear 2017
    assert (header.period_start, header.period_end) == (date(2017, 1, 1), date(2017, 4, 30))
    assert header.created == date(2018, 1, 10)


def test_example_yields_six_customers_all_consumers_as_no_registration_number_passes_mod11(
    example: SaftFile,
) -> None:
    """R-PARTY-1: business only with a valid organisation number; the example's numbers are made up (fail MOD11).

    PartyInfo/Type says Company for all six, which the import report shows through ``notes``.
    """
    got = [(c.customer.number, c.customer.name, c.customer.kind, c.customer.orgno) for c in example.customers]
    assert got == [
        ("1000", "Leketøysbutikk Tøyen", CustomerKind.CONSUMER, None),
        ("1001", "Leker på Nett", CustomerKind.CONSUMER, None),
        ("1002", "De riktige barnelekene", CustomerKind.CONSUMER, None),
        ("1003", "Super Grossisten", CustomerKind.CONSUMER, None),
        ("1004", "NYE LEKER AS", CustomerKind.CONSUMER, None),
        ("1005", "Lekegrossisten Karlsen", CustomerKind.CONSUMER, None),
    ]
    first = example.customers[0]
    assert first.registration_number == "987654321"
    assert first.party_type == "Company"
    assert any("987654321 is not a valid organisation number" in note for note in first.notes)


def test_example_customers_take_the_postal_address_unless_it_is_a_placeholder(example: SaftFile) -> None:
    by_number = {c.customer.number: c for c in example.customers}
    addresses = {
        n: (c.customer.address.street, c.customer.address.postcode, c.customer.address.city)
        for n, c in by_number.items()
    }
    assert addresses == {
        "1000": ("Postboks 8701", "0123", "OSLO"),
        "1001": ("Kalbakksmuget 224", "0885", "OSLO"),
        "1002": ("Postboks 801", "3001", "Drammen"),
        "1003": ("Alnavegen 730", "0618", "Oslo"),  # its PostalAddress is "n.a"
        "1004": ("Torvbakgata 12", "0550", "OSLO"),
        "1005": ("Røaveien 152", "1384", "Asker"),
    }
    assert all(c.customer.address.country == "NO" for c in example.customers)
    assert by_number["1000"].customer.email == "kontaktperson@leketoysbutikkentoyen.offline"
    assert any("PostalAddress" in note for note in by_number["1003"].notes)


def test_example_customers_carry_payment_terms_accounts_and_balances(example: SaftFile) -> None:
    """SOURCES.md: closing 265 500,00 (1001), 10 000,00 (1004), credit 140 000,00 (1003), 0,00 for the rest."""
    got = {
        c.customer.number: (c.customer.payment_terms_days, c.account_ids, c.opening_balance, c.closing_balance)
        for c in example.customers
    }
    assert got == {
        "1000": (30, ("1500",), nok("32000"), nok("0")),
        "1001": (15, ("1500",), nok("2000"), nok("265500")),
        "1002": (30, ("1500",), nok("0"), nok("0")),
        "1003": (30, ("1500",), nok("100"), nok("-140000")),
        "1004": (30, ("1500",), nok("0"), nok("10000")),
        "1005": (30, ("1500",), nok("12700"), nok("0")),
    }
    assert example.receivable_accounts == ("1500",)


def test_example_lines_are_the_25_customer_lines_on_account_1500(example: SaftFile) -> None:
    assert len(example.lines) == 25
    assert {line.account_id for line in example.lines} == {"1500"}
    first = example.lines[0]
    assert (first.journal_id, first.transaction_id, first.record_id, first.customer_id) == (
        "123ABC",
        "1005",
        "2",
        "1001",
    )
    assert (first.transaction_date, first.amount, first.currency) == (date(2017, 1, 12), nok("440000"), "NOK")
    assert (first.source_document_id, first.reference_number, first.due_date) == ("1234", None, None)
    assert first.description == "Salg av div leker"
    payment = next(line for line in example.lines if (line.transaction_id, line.record_id) == ("1011", "3"))
    assert (payment.customer_id, payment.amount) == ("1003", nok("-140100"))
    per_customer = {
        c: sum((line.amount.amount for line in example.lines if line.customer_id == c), Decimal(0))
        for c in ("1000", "1001", "1002", "1003", "1004", "1005")
    }
    assert per_customer == {
        "1000": Decimal("-32000.00"),
        "1001": Decimal("263500.00"),
        "1002": Decimal("0.00"),
        "1003": Decimal("-140100.00"),
        "1004": Decimal("10000.00"),
        "1005": Decimal("-12700.00"),
    }


def test_example_rebuild_leaves_exactly_these_open_items_r_imp_1(example: SaftFile) -> None:
    """R-IMP-1 on the example. Credits settle the oldest debits open at their date (opening balance first):

    1000: 1022/3 −50 000 settles IB 32 000 and 18 000 of 1006; 1028/5 −32 000 the other 32 000 of 1006;
          1039/3 −112 500 settles 1034. Nothing open.
    1001: 1011/2 −400 000 settles IB 2 000 and 398 000 of 1005 (42 000 left); 1028/2 −243 648,75 settles
          1005's 42 000 and 201 648,75 of 1013 (same date as 1041, lower number; 2 000 left); 1039/2
          −203 648,75 settles 1013's 2 000 and 201 648,75 of 1041: **1041 keeps 2 000,00**; **1054 263 500,00**
          comes after every payment. 2 000 + 263 500 = 265 500 = closing. No DueDate: terms 15 days,
          2017-01-27 + 15 = 2017-02-11, 2017-04-24 + 15 = 2017-05-09.
    1002: 1028/4 settles 1025, 1052/3 settles 1049. Nothing open.
    1003: 1011/3 −140 100 on 01-23 settles IB 100; the invoice 1033 is dated 03-10, after it, so **−140 000,00
          stays an unmatched credit** (a prepayment); 1039/4 −428 750 settles 1033 exactly. = closing credit.
    1004: 1022/2 settles 1019; 1052/2 −112 125 settles 112 125 of invoice **78 (SourceDocumentID): 10 000,00
          left**, due 2017-04-12 + 30 = 2017-05-12. = closing.
    1005: 1028/3 −90 450 settles IB 12 700 and invoice 77 (77 750). Nothing open.
    """
    result = rebuild_from_saft(example)
    open_items = {(i.customer, *summary(i)) for i in result.open_items()}
    assert open_items == {
        ("1001", "1041", "TransactionID", Decimal("203648.75"), Decimal("2000.00"), date(2017, 1, 27),
         date(2017, 2, 11), "customer terms", "NOK"),
        ("1001", "1054", "TransactionID", Decimal("263500.00"), Decimal("263500.00"), date(2017, 4, 24),
         date(2017, 5, 9), "customer terms", "NOK"),
        ("1003", "1011-3", "TransactionID", Decimal("-140100.00"), Decimal("-140000.00"), date(2017, 1, 23),
         None, "none (credit)", "NOK"),
        ("1004", "78", "SourceDocumentID", Decimal("122125.00"), Decimal("10000.00"), date(2017, 4, 12),
         date(2017, 5, 12), "customer terms", "NOK"),
    }  # fmt: skip
    for customer in example.customers:
        remaining = Money.sum(i.remaining for i in result.for_customer(customer.customer.number))
        assert remaining == customer.closing_balance


def test_example_rebuild_keeps_every_item_with_the_rule_behind_its_number(example: SaftFile) -> None:
    """All 29 items (25 lines and 4 non-zero opening balances) are kept, settled ones with remaining 0."""
    result = rebuild_from_saft(example)
    assert len(result.items) == 29
    assert [(i.number, i.number_rule, i.remaining.amount) for i in result.for_customer("1000")] == [
        ("IB-1000", NumberRule.OPENING_BALANCE, Decimal("0.00")),
        ("1006", NumberRule.TRANSACTION_ID, Decimal("0.00")),
        ("1022-3", NumberRule.TRANSACTION_ID, Decimal("0.00")),
        ("1028-5", NumberRule.TRANSACTION_ID, Decimal("0.00")),
        ("1034", NumberRule.TRANSACTION_ID, Decimal("0.00")),
        ("1039-3", NumberRule.TRANSACTION_ID, Decimal("0.00")),
    ]
    opening = result.for_customer("1000")[0]
    assert (opening.amount, opening.invoice_date, opening.due_date, opening.due_rule) == (
        nok("32000"),
        date(2017, 1, 1),
        date(2017, 1, 1),
        DueRule.OPENING_BALANCE,
    )
    invoice_1006 = result.for_customer("1000")[1]
    assert invoice_1006.number_note == "SourceDocumentID 1234 is on 6 lines"
    assert invoice_1006.due_date == date(2017, 2, 8)  # 2017-01-09 + 30 days
    assert [i.number for i in result.for_customer("1005")] == ["IB-1005", "77", "1028-3"]
    assert len({i.number for i in result.items}) == len(result.items)  # numbers identify
    assert result.for_customer("1002")[0].number == "1025"  # a zero opening balance makes no item


# -- a 1.30 file --------------------------------------------------------------------------------------------

SAFT_130 = """<?xml version="1.0" encoding="UTF-8"?>
<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">
  <Header>
    <AuditFileVersion>1.30</AuditFileVersion>
    <AuditFileCountry>NO</AuditFileCountry>
    <AuditFileDateCreated>2025-02-10</AuditFileDateCreated>
    <SoftwareCompanyName>Krav tests</SoftwareCompanyName>
    <SoftwareID>krav</SoftwareID>
    <SoftwareVersion>1</SoftwareVersion>
    <Company>
      <RegistrationNumber>974760673</RegistrationNumber>
      <Name>Kreditor AS</Name>
      <Contact>
        <ContactPerson><FirstName>Kari</FirstName><LastName>Nordmann</LastName></ContactPerson>
        <Telephone>22000000</Telephone>
      </Contact>
    </Company>
    <DefaultCurrencyCode>NOK</DefaultCurrencyCode>
    <SelectionCriteria>
      <SelectionStartDate>2025-01-01</SelectionStartDate>
      <SelectionEndDate>2025-01-31</SelectionEndDate>
    </SelectionCriteria>
    <TaxAccountingBasis>A</TaxAccountingBasis>
  </Header>
  <MasterFiles>
    <Customers>
      <Customer>
        <RegistrationNumber>974 760 673</RegistrationNumber>
        <Name>Kunde AS</Name>
        <Address>
          <StreetName>Storgata</StreetName><Number>1</Number><City>Oslo</City><PostalCode>0155</PostalCode>
          <Country>NO</Country>
        </Address>
        <Contact>
          <ContactPerson><FirstName>Ola</FirstName><LastName>Nordmann</LastName></ContactPerson>
          <Email>ola@kunde.no</Email>
        </Contact>
        <CustomerID>K1</CustomerID>
        <BalanceAccount>
          <AccountID>1500</AccountID>
          <OpeningDebitBalance>300.00</OpeningDebitBalance>
          <ClosingDebitBalance>{closing}</ClosingDebitBalance>
        </BalanceAccount>
        <PartyInfo><PaymentTerms><Days>20</Days></PaymentTerms></PartyInfo>
      </Customer>
    </Customers>
  </MasterFiles>
  <GeneralLedgerEntries>
    <NumberOfEntries>2</NumberOfEntries>
    <TotalDebit>1400.00</TotalDebit>
    <TotalCredit>1400.00</TotalCredit>
    <Journal>
      <JournalID>S</JournalID>
      <Description>Salg og innbetalinger</Description>
      <Type>S</Type>
      <Transaction>
        <TransactionID>10</TransactionID>
        <Period>1</Period>
        <PeriodYear>2025</PeriodYear>
        <TransactionDate>2025-01-05</TransactionDate>
        <Description>Faktura 5001 og 5002</Description>
        <SystemEntryDate>2025-01-05</SystemEntryDate>
        <GLPostingDate>2025-01-05</GLPostingDate>
        <Line>
          <RecordID>1</RecordID>
          <AccountID>1500</AccountID>
          <CustomerID>K1</CustomerID>
          <Description>Faktura 5001</Description>
          <DebitAmount><Amount>1000.00</Amount></DebitAmount>
          <ReferenceNumber>5001</ReferenceNumber>
          <DueDate>2025-01-19</DueDate>
        </Line>
        <Line>
          <RecordID>2</RecordID>
          <AccountID>1500</AccountID>
          <CustomerID>K1</CustomerID>
          <Description>Faktura 5002</Description>
          <DebitAmount><Amount>400.00</Amount></DebitAmount>
          <ReferenceNumber>5002</ReferenceNumber>
        </Line>
        <Line>
          <RecordID>3</RecordID>
          <AccountID>3000</AccountID>
          <Description>Salg</Description>
          <CreditAmount><Amount>1400.00</Amount></CreditAmount>
        </Line>
      </Transaction>
      <Transaction>
        <TransactionID>11</TransactionID>
        <Period>1</Period>
        <PeriodYear>2025</PeriodYear>
        <TransactionDate>2025-01-20</TransactionDate>
        <Description>Innbetaling</Description>
        <SystemEntryDate>2025-01-20</SystemEntryDate>
        <GLPostingDate>2025-01-20</GLPostingDate>
        <Line>
          <RecordID>1</RecordID>
          <AccountID>1920</AccountID>
          <Description>Bank</Description>
          <DebitAmount><Amount>400.00</Amount></DebitAmount>
        </Line>
        <Line>
          <RecordID>2</RecordID>
          <AccountID>1500</AccountID>
          <CustomerID>K1</CustomerID>
          <Description>Innbetaling faktura 5002</Description>
          <CreditAmount><Amount>400.00</Amount></CreditAmount>
          <ReferenceNumber>5002</ReferenceNumber>
        </Line>
      </Transaction>
    </Journal>
  </GeneralLedgerEntries>
</AuditFile>
"""


def saft_130(closing: str = "1300.00") -> bytes:
    return SAFT_130.replace("{closing}", closing).encode()


def test_a_1_30_file_with_balance_accounts_validates_against_the_1_30_schema_and_imports() -> None:
    saft = parse_saft(saft_130(), filename="k1.xml", schema_dir=SCHEMAS)
    assert (saft.header.audit_file_version, saft.header.schema_version) == ("1.30", "1.30")
    assert (saft.header.period_start, saft.header.period_end) == (date(2025, 1, 1), date(2025, 1, 31))
    (customer,) = saft.customers
    assert customer.customer.kind is CustomerKind.BUSINESS
    assert customer.customer.orgno == "974760673"
    assert customer.customer.address.street == "Storgata 1"
    assert customer.customer.email == "ola@kunde.no"
    assert (customer.account_ids, customer.opening_balance, customer.closing_balance) == (
        ("1500",),
        nok("300"),
        nok("1300"),
    )
    assert [(line.record_id, line.amount, line.reference_number) for line in saft.lines] == [
        ("1", nok("1000"), "5001"),
        ("2", nok("400"), "5002"),
        ("2", nok("-400"), "5002"),
    ]


def test_a_1_30_file_uses_reference_numbers_and_due_dates_r_imp_1() -> None:
    """Opening 300 + 5001 1 000 + 5002 400 − payment 400 naming 5002 = 1 300 closing.

    The payment names 5002, so it settles 5002 and not the older opening balance; 5001 has DueDate 2025-01-19,
    5002 none: 2025-01-05 + the customer's 20 days = 2025-01-25.
    """
    result = rebuild_from_saft(parse_saft(saft_130(), filename="k1.xml", schema_dir=SCHEMAS))
    assert [summary(i)[:7] for i in result.items] == [
        ("IB-K1", "opening balance", Decimal("300.00"), Decimal("300.00"), date(2025, 1, 1), date(2025, 1, 1),
         "opening balance"),
        ("5001", "ReferenceNumber", Decimal("1000.00"), Decimal("1000.00"), date(2025, 1, 5), date(2025, 1, 19),
         "DueDate"),
        ("5002", "ReferenceNumber", Decimal("400.00"), Decimal("0.00"), date(2025, 1, 5), date(2025, 1, 25),
         "customer terms"),
        ("11", "TransactionID", Decimal("-400.00"), Decimal("0.00"), date(2025, 1, 20), None, "none (credit)"),
    ]  # fmt: skip
    (settlement,) = result.settlements
    assert (settlement.debit, settlement.credit, settlement.amount, settlement.rule) == (
        "5002",
        "11",
        nok("400"),
        "ReferenceNumber",
    )


def test_a_customer_whose_items_do_not_sum_to_its_closing_balance_is_refused_naming_it_r_imp_1() -> None:
    saft = parse_saft(saft_130(closing="1250.00"), filename="k1.xml", schema_dir=SCHEMAS)
    with pytest.raises(ImportRefused) as refused:
        rebuild_from_saft(saft)
    (problem,) = refused.value.problems
    assert problem.where == "customer K1"
    assert "1 300,00 NOK debit" in problem.message  # what the items sum to
    assert "1 250,00 NOK debit" in problem.message  # what MasterFiles says
    assert str(refused.value).startswith("k1.xml: nothing imported")


def test_the_selection_period_may_be_given_as_months_or_as_dates() -> None:
    data = EXAMPLE.read_bytes().replace(
        b"<n1:PeriodStart>01</n1:PeriodStart>\r\n\t\t\t<n1:PeriodStartYear>2017</n1:PeriodStartYear>\r\n"
        b"\t\t\t<n1:PeriodEnd>04</n1:PeriodEnd>\r\n\t\t\t<n1:PeriodEndYear>2017</n1:PeriodEndYear>",
        b"<n1:SelectionStartDate>2017-01-01</n1:SelectionStartDate>"
        b"<n1:SelectionEndDate>2017-04-15</n1:SelectionEndDate>",
    )
    assert b"SelectionStartDate" in data
    saft = parse_saft(data, filename="dates.xml", schema_dir=SCHEMAS)
    assert (saft.header.period_start, saft.header.period_end) == (date(2017, 1, 1), date(2017, 4, 15))


# -- refused files ------------------------------------------------------------------------------------------


def test_a_file_failing_the_schema_is_refused_with_its_line_and_the_schema_message() -> None:
    broken = saft_130().replace(b"<Name>Kunde AS</Name>", b"<Navn>Kunde AS</Navn>")
    line = broken[: broken.index(b"<Navn>")].count(b"\n") + 1
    with pytest.raises(FileFormatError) as refused:
        parse_saft(broken, filename="broken.xml", schema_dir=SCHEMAS)
    assert refused.value.line == line
    message = str(refused.value)
    assert message.startswith(f"broken.xml, line {line}: does not follow the Norwegian SAF-T Financial 1.30 schema")
    assert "Navn" in message


def test_malformed_xml_is_refused_with_its_line() -> None:
    with pytest.raises(FileFormatError) as refused:
        parse_saft(b"<?xml version='1.0'?>\n<AuditFile>\n<Header>\n</AuditFile>", filename="x.xml", schema_dir=SCHEMAS)
    assert refused.value.line == 4
    assert "not well-formed XML" in str(refused.value)


def test_a_file_that_is_not_saft_is_refused() -> None:
    with pytest.raises(FileFormatError, match="not a Norwegian SAF-T Financial file"):
        parse_saft(b"<Document xmlns='urn:iso:std:iso:20022'/>", filename="camt.xml", schema_dir=SCHEMAS)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE AuditFile [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO"><Header>&lol9;</Header></AuditFile>
"""


def test_a_billion_laughs_entity_bomb_is_refused_unexpanded() -> None:
    with pytest.raises(FileFormatError, match="DOCTYPE") as refused:
        parse_saft(BILLION_LAUGHS, filename="bomb.xml", schema_dir=SCHEMAS)
    assert refused.value.file == "bomb.xml"


def test_an_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE AuditFile [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO"><Header>&x;</Header></AuditFile>'
    ).encode()
    with pytest.raises(FileFormatError, match="DOCTYPE") as refused:
        parse_saft(data, filename="xxe.xml", schema_dir=SCHEMAS)
    assert "TOPSECRET" not in str(refused.value)


def test_a_doctype_is_refused_after_parsing_too_when_the_byte_search_cannot_see_it() -> None:
    """In UTF-16 the prolog check finds no ``<!DOCTYPE`` bytes; the parsed document's DOCTYPE is refused."""
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE AuditFile [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO"><Header>&x;</Header></AuditFile>'
    )
    with pytest.raises(FileFormatError, match="DOCTYPE"):
        parse_saft(text.encode("utf-16"), filename="u16.xml", schema_dir=SCHEMAS)


def test_a_doctype_smuggled_into_a_valid_file_is_refused() -> None:
    data = saft_130().replace(
        b"<AuditFile ", b'<!DOCTYPE AuditFile SYSTEM "http://example.invalid/x.dtd">\n<AuditFile ', 1
    )
    with pytest.raises(FileFormatError, match="DOCTYPE"):
        parse_saft(data, filename="dtd.xml", schema_dir=SCHEMAS)


def test_a_customer_listed_twice_in_masterfiles_is_refused_with_both_lines() -> None:
    data = saft_130()
    start, end = data.index(b"<Customer>"), data.index(b"</Customer>") + len(b"</Customer>")
    doubled = data[:end] + b"\n" + data[start:end] + data[end:]
    with pytest.raises(ImportRefused) as refused:
        parse_saft(doubled, filename="twice.xml", schema_dir=SCHEMAS)
    (problem,) = refused.value.problems
    assert problem.field == "CustomerID"
    assert "customer K1 is already on line" in problem.message


def test_saft_file_values_are_frozen(example: SaftFile) -> None:
    with pytest.raises(AttributeError):
        example.header.period_start = date(2020, 1, 1)  # type: ignore[misc]
    assert replace(example.header, company_name="X").company_name == "X"


def test_the_schemas_shipped_with_krav_are_skatteetatens_unchanged() -> None:
    """`krav import saft` works from an installed package: the XSDs it validates against are shipped in
    krav/data/saft, byte for byte as Skatteetaten publishes them (the copies in ../shared/fixtures/saft)."""
    from krav.bootstrap import PACKAGED_SCHEMAS
    from krav.formats.saft import SCHEMA_FILES

    for name in SCHEMA_FILES.values():
        shipped = PACKAGED_SCHEMAS / name
        assert shipped.is_file(), f"{name} is not shipped in {PACKAGED_SCHEMAS}"
        assert shipped.read_bytes() == (FIXTURES / "saft" / name).read_bytes(), name
    assert "Skatteetaten" in (PACKAGED_SCHEMAS / "SOURCES.md").read_text(encoding="utf-8")
