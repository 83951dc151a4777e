"""The documents of a settlement made by the daily run on SQLite and PostgreSQL: the report as PDF and CSV, and the
pain.001 credit transfer that remits it (R-BANK-3).

The set-up: debtor 10001 owes 1001 (1000.00) and 1002 (500.00), debtor 20001 owes 2001 (800.00), all due 14 March
2025; the notices of 28 March total 1542.19 (1000.00 + 35.00 + 4.79 + 500.00 + 2.40) and 838.84 (800.00 + 35.00 +
3.84). On 1 April 10001 pays its total and 20001 pays 900.00, so the run of 1 April settles
principal 1000.00 + 500.00 + 800.00 = 2300.00, fees 35.00 + 35.00 = 70.00, interest 4.79 + 2.40 + 3.84 = 11.03
(the letters' figures: both were paid in full by the deadline, R-CLM-12) and 900.00 − 838.84 = 61.16 overpaid:
2442.19 in all, which is also 1542.19 + 900.00.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from krav.adapters.pdf import LetterRenderer, LetterTexts
from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.errors import FileFormatError
from krav.domain.money import Money, format_amount
from krav.formats.camt054_writer import Credit, build_camt054
from krav.formats.pain001 import PAIN001_NAMESPACE, validate_remittance
from krav.services import ledger
from krav.services.collection import delivery, payments
from krav.services.ports import Document
from tests.builders import ORGNO, SERVICE, consumer, invoice, make_company, post, run_day
from tests.conftest import ROOT

RATES = load_rate_tables()
SCHEMA = ROOT / "tests" / "data" / "pain.001.001.03.xsd"
NOTICE_DAY = date(2025, 3, 28)
PAY_DAY = date(2025, 4, 1)
TOTAL = Money.of("2442.19")
P = {"p": PAIN001_NAMESPACE}


@pytest.fixture
def documents(engine: Engine) -> dict[str, Document]:
    uow = unit_of_work(engine)
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann")])
    issued, due = date(2025, 3, 1), date(2025, 3, 14)
    post(
        uow,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
    )
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        uow.agreements.save(
            company.id,
            Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no"),
        )
        uow.commit()
    run_day(uow, ORGNO, NOTICE_DAY, rates=RATES, service=SERVICE)
    with uow:
        letters = {lt.debtor: lt for lt in uow.collection.letters(1)}
    credits = [
        Credit("C1", letters["10001"].total, PAY_DAY, kid=letters["10001"].kid),
        Credit("C2", Money.of("900.00"), PAY_DAY, kid=letters["20001"].kid),
    ]
    data = build_camt054(
        SERVICE.account, credits, message_id="CLIENT-1", created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC)
    )
    assert payments.import_payments(uow, data, filename="client.xml").matched_total == TOTAL
    assert run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE).settled == TOTAL
    with uow:
        company = uow.companies.get(ORGNO)
        (settlement,) = uow.collection.settlements(1)
        assert (settlement.settled_on, settlement.total) == (PAY_DAY, TOTAL)
        docs = delivery.settlement_documents(uow, company, settlement.id, LetterRenderer(LetterTexts([])), SERVICE)
        uow.commit()
    return {d.kind: d for d in docs}


def test_a_settlement_has_a_pdf_a_csv_and_a_pain001_file_r_bank_3(documents: dict[str, Document]) -> None:
    assert sorted(documents) == ["pain001", "settlement_csv", "settlement_pdf"]
    assert documents["settlement_pdf"].filename == f"oppgjor-{ORGNO}-2025-04-01.pdf"
    assert documents["settlement_pdf"].content.startswith(b"%PDF")


def test_the_settlement_pdf_names_each_invoice_and_the_total_r_bank_3(documents: dict[str, Document]) -> None:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(documents["settlement_pdf"].content)).pages)
    for number in ("1001", "1002", "2001"):
        assert number in text
    assert format_amount(TOTAL) == "2 442,19"
    assert "2 442,19" in text
    assert "61,16" in text  # the overpayment is shown, not hidden in the total


def _csv_rows(documents: dict[str, Document]) -> list[list[str]]:
    content = documents["settlement_csv"].content
    assert content.startswith("\ufeff".encode())  # opens in Norwegian Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _kroner(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "."))


def test_the_settlement_csv_has_a_line_per_claim_and_a_sum_line_equal_to_the_settlement_r_bank_3(
    documents: dict[str, Document],
) -> None:
    header, *claims, sums = _csv_rows(documents)
    assert header[6:13] == ["hovedstol", "gebyr", "renter", "overbetalt", "kostnader", "mva_kostnader", "utbetalt"]
    assert [row[3] for row in claims] == ["1001", "1002", "2001"]
    assert [row[6:13] for row in claims] == [
        ["1000,00", "35,00", "4,79", "0,00", "0,00", "0,00", "1039,79"],
        ["500,00", "0,00", "2,40", "0,00", "0,00", "0,00", "502,40"],
        ["800,00", "35,00", "3,84", "61,16", "0,00", "0,00", "900,00"],
    ]
    assert sums[2] == "SUM"
    assert sums[6:13] == ["2300,00", "70,00", "11,03", "61,16", "0,00", "0,00", "2442,19"]
    assert _kroner(sums[12]) == TOTAL.amount
    assert sum(_kroner(row[12]) for row in claims) == _kroner(sums[12])


def test_the_pain001_file_validates_and_pays_the_settlement_total_to_the_creditors_account_r_bank_3(
    documents: dict[str, Document],
) -> None:
    data = documents["pain001"].content
    validate_remittance(data, schema_path=SCHEMA)
    root = etree.fromstring(data)
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=P) == "2442.19"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=P) == "1"
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", P)
    assert info is not None
    assert info.findtext("p:CtrlSum", namespaces=P) == "2442.19"
    assert info.findtext("p:ReqdExctnDt", namespaces=P) == "2025-04-01"
    assert info.findtext("p:DbtrAcct/p:Id/p:Othr/p:Id", namespaces=P) == SERVICE.account
    (transfer,) = info.findall("p:CdtTrfTxInf", P)
    assert transfer.findtext("p:Amt/p:InstdAmt", namespaces=P) == "2442.19"
    assert transfer.find("p:Amt/p:InstdAmt", P).get("Ccy") == "NOK"  # type: ignore[union-attr]
    assert transfer.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=P) == "86011117947"
    assert transfer.findtext("p:Cdtr/p:Nm", namespaces=P) == "Eksempel AS"


def test_the_schema_check_would_catch_a_broken_pain001_file_r_bank_3(documents: dict[str, Document]) -> None:
    """The validation above can fail: the same file without its CtrlSum's digits is refused."""
    broken = documents["pain001"].content.replace(b"<CtrlSum>2442.19</CtrlSum>", b"<CtrlSum>many</CtrlSum>", 1)
    assert broken != documents["pain001"].content
    with pytest.raises(FileFormatError, match=r"pain\.001\.001\.03 schema"):
        validate_remittance(broken, schema_path=SCHEMA)
