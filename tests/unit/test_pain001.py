"""pain.001.001.03 remittance files (R-BANK-3): parsed back and checked field by field, validated against the
official schema, and refused when a bank would refuse them.

The schema is ``tests/data/pain.001.001.03.xsd``, the ISO 20022 definition (origin and licence in
``tests/data/SOURCES.md``).

Accounts used: 8601.11.17947 is a valid BBAN (MOD11), NO93 8601 1117 947 its IBAN; 1234.56.78903 is valid too.
974 760 673 is a valid organisation number (MOD11).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from krav.domain.errors import FieldError, FileFormatError
from krav.domain.money import Money
from krav.formats.pain001 import PAIN001_NAMESPACE, PainParty, PainPayment, build_remittance, validate_remittance

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "pain.001.001.03.xsd"
NS = {"p": PAIN001_NAMESPACE}
OSLO = ZoneInfo("Europe/Oslo")
CREATED = datetime(2024, 5, 2, 8, 30, tzinfo=OSLO)
PAYER = PainParty(name="Krav Inkasso AS", orgno="974 760 673", account="8601.11.17947")


def pay(
    end_to_end_id: str = "E2E-1",
    amount: str = "100.00",
    creditor_name: str = "Kreditor AS",
    creditor_account: str = "12345678903",
    remittance_text: str = "Oppgjør 2. mai",
    requested_date: date = date(2024, 5, 3),
) -> PainPayment:
    return PainPayment(
        end_to_end_id, Money.of(amount), creditor_name, creditor_account, remittance_text, requested_date
    )


def document(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def texts(root: etree._Element, path: str) -> list[str]:
    return [str(element.text) for element in root.iterfind(path, NS)]


PAYMENTS = [
    pay("E2E-1", "1234.50", "Kreditor AS", "1234 56 78903", "Oppgjør uke 18", date(2024, 5, 3)),
    pay("E2E-2", "10.05", "Andre Kreditor AS", "NO93 8601 1117 947", "", date(2024, 5, 2)),
    pay("E2E-3", "0.01", "Tredje AS", "86011117947", "Minste beløp", date(2024, 5, 3)),
]


def test_a_remittance_carries_every_amount_account_count_and_sum_r_bank_3() -> None:
    """R-BANK-3: 1 234,50 + 10,05 + 0,01 = 1 244,56 in three transfers; BBAN as Othr/Id, IBAN as IBAN."""
    root = document(build_remittance(PAYER, PAYMENTS, message_id="REM-2024-05-02", created=CREATED))
    assert root.tag == f"{{{PAIN001_NAMESPACE}}}Document"
    header = "p:CstmrCdtTrfInitn/p:GrpHdr"
    assert texts(root, f"{header}/p:MsgId") == ["REM-2024-05-02"]
    assert texts(root, f"{header}/p:CreDtTm") == ["2024-05-02T08:30:00+02:00"]
    assert texts(root, f"{header}/p:NbOfTxs") == ["3"]
    assert texts(root, f"{header}/p:CtrlSum") == ["1244.56"]
    assert texts(root, f"{header}/p:InitgPty/p:Id/p:OrgId/p:Othr/p:Id") == ["974760673"]
    info = "p:CstmrCdtTrfInitn/p:PmtInf"
    assert texts(root, f"{info}/p:PmtMtd") == ["TRF", "TRF"]
    assert texts(root, f"{info}/p:DbtrAcct/p:Id/p:Othr/p:Id") == ["86011117947", "86011117947"]
    assert texts(root, f"{info}/p:DbtrAcct/p:Id/p:Othr/p:SchmeNm/p:Cd") == ["BBAN", "BBAN"]
    assert texts(root, f"{info}/p:DbtrAcct/p:Ccy") == ["NOK", "NOK"]
    transfers = root.findall(f"{info}/p:CdtTrfTxInf", NS)
    got = [
        (
            t.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            t.findtext("p:Amt/p:InstdAmt", namespaces=NS),
            t.find("p:Amt/p:InstdAmt", NS).get("Ccy"),  # type: ignore[union-attr]
            t.findtext("p:Cdtr/p:Nm", namespaces=NS),
            t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            t.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS),
            t.findtext("p:RmtInf/p:Ustrd", namespaces=NS),
        )
        for t in transfers
    ]
    assert got == [  # the earliest date first
        ("E2E-2", "10.05", "NOK", "Andre Kreditor AS", "NO9386011117947", None, None),
        ("E2E-1", "1234.50", "NOK", "Kreditor AS", None, "12345678903", "Oppgjør uke 18"),
        ("E2E-3", "0.01", "NOK", "Tredje AS", None, "86011117947", "Minste beløp"),
    ]
    assert sum(Decimal(t[1] or "") for t in got) == Decimal(texts(root, f"{header}/p:CtrlSum")[0])


def test_payments_are_grouped_per_requested_date_each_with_its_own_count_and_sum_r_bank_3() -> None:
    """R-BANK-3: 2 May: 10,05 (1 transfer); 3 May: 1 234,50 + 0,01 = 1 234,51 (2 transfers)."""
    root = document(build_remittance(PAYER, PAYMENTS, message_id="REM-2024-05-02", created=CREATED))
    info = "p:CstmrCdtTrfInitn/p:PmtInf"
    assert texts(root, f"{info}/p:ReqdExctnDt") == ["2024-05-02", "2024-05-03"]
    assert texts(root, f"{info}/p:NbOfTxs") == ["1", "2"]
    assert texts(root, f"{info}/p:CtrlSum") == ["10.05", "1234.51"]
    assert texts(root, f"{info}/p:PmtInfId") == ["REM-2024-05-02-001", "REM-2024-05-02-002"]


def test_the_schema_copy_is_present_r_bank_3() -> None:
    assert SCHEMA.is_file(), f"the pain.001.001.03 schema is missing at {SCHEMA}; see tests/data/SOURCES.md"


def test_a_remittance_validates_against_the_official_pain_001_001_03_schema_r_bank_3() -> None:
    """R-BANK-3: the payment file is validated against its schema."""
    data = build_remittance(PAYER, PAYMENTS, message_id="REM-2024-05-02", created=CREATED)
    validate_remittance(data, schema_path=SCHEMA)


def test_with_a_bic_the_debtor_bank_is_named_by_it_and_the_file_still_validates_r_bank_3() -> None:
    payer = PainParty("Krav Inkasso AS", "974760673", "NO9386011117947", bic="DNBANOKKXXX")
    data = build_remittance(payer, PAYMENTS[:1], message_id="M" * 35, created=CREATED)
    validate_remittance(data, schema_path=SCHEMA)
    root = document(data)
    info = "p:CstmrCdtTrfInitn/p:PmtInf"
    assert texts(root, f"{info}/p:DbtrAgt/p:FinInstnId/p:BIC") == ["DNBANOKKXXX"]
    assert texts(root, f"{info}/p:DbtrAcct/p:Id/p:IBAN") == ["NO9386011117947"]
    assert texts(root, f"{info}/p:PmtInfId") == ["M" * 31 + "-001"]


def test_a_file_that_breaks_the_schema_is_refused_naming_the_line_r_bank_3() -> None:
    data = build_remittance(PAYER, PAYMENTS, message_id="REM-1", created=CREATED)
    broken = data.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>XXX</PmtMtd>", 1)
    with pytest.raises(FileFormatError) as caught:
        validate_remittance(broken, schema_path=SCHEMA)
    assert caught.value.line == broken.decode().splitlines().index("      <PmtMtd>XXX</PmtMtd>") + 1
    assert "PmtMtd" in caught.value.problem


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"creditor_account": "1234.56.78904"}, "creditor_account", "not a valid Norwegian account number"),
        ({"creditor_account": "NO93 8601 1117 948"}, "creditor_account", "not a valid IBAN"),
        ({"creditor_account": "0000.4090403"}, "creditor_account", "not an 11-digit Norwegian account number"),
        ({"amount": "0.00"}, "amount", "is not positive"),
        ({"amount": "-5.00"}, "amount", "is not positive"),
        ({"creditor_name": ""}, "creditor_name", "is empty"),
        ({"creditor_name": "N" * 71}, "creditor_name", "has 71 characters; at most 70 fit"),
        ({"remittance_text": "T" * 141}, "remittance_text", "has 141 characters; at most 140 fit"),
        ({"end_to_end_id": "E" * 36}, "end_to_end_id", "has 36 characters; at most 35 fit"),
    ],
)
def test_a_payment_a_bank_would_refuse_is_refused_naming_the_field_r_bank_3(
    change: dict[str, str], field: str, problem: str
) -> None:
    payment = pay(**change)  # type: ignore[arg-type]
    with pytest.raises(FieldError) as caught:
        build_remittance(PAYER, [pay("OK-1"), payment], message_id="REM-1", created=CREATED)
    assert (caught.value.field, caught.value.where) == (field, "payment 2")
    assert problem in caught.value.problem


def test_a_payment_in_another_currency_is_refused_r_bank_3() -> None:
    payment = PainPayment("E1", Money.of("10", "SEK"), "Kreditor AS", "12345678903", "", date(2024, 5, 3))
    with pytest.raises(FieldError, match="a domestic remittance pays NOK"):
        build_remittance(PAYER, [payment], message_id="REM-1", created=CREATED)


def test_an_end_to_end_id_used_twice_is_refused_r_bank_3() -> None:
    with pytest.raises(FieldError, match="'E2E-1' is already used by payment 1"):
        build_remittance(PAYER, [pay("E2E-1"), pay("E2E-1")], message_id="REM-1", created=CREATED)


@pytest.mark.parametrize(
    ("payer", "field"),
    [
        (PainParty("Krav Inkasso AS", "974760674", "86011117947"), "payer orgno"),
        (PainParty("Krav Inkasso AS", "974760673", "86011117948"), "payer account"),
        (PainParty("Krav Inkasso AS", "974760673", "86011117947", bic="DNBANOK"), "payer bic"),
        (PainParty("", "974760673", "86011117947"), "payer name"),
    ],
)
def test_a_bad_payer_is_refused_naming_the_field_r_bank_3(payer: PainParty, field: str) -> None:
    with pytest.raises(FieldError) as caught:
        build_remittance(payer, [pay()], message_id="REM-1", created=CREATED)
    assert caught.value.field == field


def test_an_empty_remittance_and_a_too_long_message_id_are_refused_r_bank_3() -> None:
    with pytest.raises(FieldError, match="at least one payment"):
        build_remittance(PAYER, [], message_id="REM-1", created=CREATED)
    with pytest.raises(FieldError, match="message_id"):
        build_remittance(PAYER, [pay()], message_id="R" * 36, created=CREATED)


# -- property: CtrlSum is the sum to the øre -----------------------------------------------------------------

payments = st.lists(
    st.builds(
        pay,
        amount=st.integers(min_value=1, max_value=10**11).map(lambda ore: str(Money.from_ore(ore).amount)),
        requested_date=st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 1, 10)),
    ),
    min_size=1,
    max_size=25,
).map(lambda ps: [replace(p, end_to_end_id=f"E2E-{i}") for i, p in enumerate(ps, start=1)])


@settings(max_examples=50, deadline=None)
@given(payments=payments)
def test_ctrlsum_always_equals_the_sum_of_the_transactions_to_the_ore_r_bank_3(payments: list[PainPayment]) -> None:
    """R-BANK-3: per message and per PmtInf, CtrlSum = Σ InstdAmt and NbOfTxs = the count; always schema-valid."""
    data = build_remittance(PAYER, payments, message_id="REM-PROP", created=CREATED)
    root = document(data)
    initiation = root.find("p:CstmrCdtTrfInitn", NS)
    assert initiation is not None
    amounts = [Decimal(a) for a in texts(initiation, "p:PmtInf/p:CdtTrfTxInf/p:Amt/p:InstdAmt")]
    assert Decimal(texts(initiation, "p:GrpHdr/p:CtrlSum")[0]) == sum(amounts, Decimal(0))
    assert sum(amounts, Decimal(0)) == Money.sum(p.amount for p in payments).amount
    assert texts(initiation, "p:GrpHdr/p:NbOfTxs") == [str(len(payments))]
    for info in initiation.iterfind("p:PmtInf", NS):
        group = [Decimal(a) for a in texts(info, "p:CdtTrfTxInf/p:Amt/p:InstdAmt")]
        assert Decimal(texts(info, "p:CtrlSum")[0]) == sum(group, Decimal(0))
        assert texts(info, "p:NbOfTxs") == [str(len(group))]
    validate_remittance(data, schema_path=SCHEMA)
