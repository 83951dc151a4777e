"""Payment files told apart by content (R-BANK-2), and the balance check every parsed file carries.

Fixtures from ``../shared/fixtures/`` (see its SOURCES.md): the netsgiro OCR giro transmission (20 payments,
51 449,00), the AvtaleGiro agreement file (refused: not a payment file), and genkgo's camt.054 .02 and .04
(one debit each: 0 payments, 1 skipped).
"""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from krav.domain.errors import FileFormatError
from krav.domain.money import Money
from krav.formats.pain001 import PainParty, PainPayment, build_remittance
from krav.formats.payments import IncomingPayment, PaymentFile, SkippedEntry, parse_payment_file

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
OCR = FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt"
AGREEMENTS = FIXTURES / "ocr" / "netsgiro_avtalegiro_agreements.txt"
CAMT_V2 = FIXTURES / "camt" / "genkgo_camt054.v2.xml"
CAMT_V4 = FIXTURES / "camt" / "genkgo_camt054.v4.xml"


def refused(data: bytes, filename: str = "upload.bin") -> FileFormatError:
    with pytest.raises(FileFormatError) as caught:
        parse_payment_file(data, filename=filename)
    assert caught.value.file == filename
    return caught.value


@pytest.mark.parametrize(
    ("path", "format", "payments", "skipped", "total"),
    [
        (OCR, "ocr_giro", 20, 0, "51449.00"),
        (CAMT_V2, "camt054.001.02", 0, 1, "0.00"),
        (CAMT_V4, "camt054.001.04", 0, 1, "0.00"),
    ],
    ids=["ocr-giro", "camt054-v2", "camt054-v4"],
)
def test_each_fixture_is_read_by_its_content_with_its_counts_and_total_r_bank_2(
    path: Path, format: str, payments: int, skipped: int, total: str
) -> None:
    """R-BANK-2: the format is found in the bytes; the file name says nothing."""
    assert path.is_file(), f"fixture missing at {path}"
    parsed = parse_payment_file(path.read_bytes(), filename="no-extension")
    assert (parsed.format, len(parsed.payments), len(parsed.skipped), parsed.total) == (
        format,
        payments,
        skipped,
        Money.of(total),
    )
    assert parsed.filename == "no-extension"


def test_an_avtalegiro_agreement_file_is_refused_as_not_a_payment_file_r_bank_2() -> None:
    error = refused(AGREEMENTS.read_bytes(), AGREEMENTS.name)
    assert error.problem == "not a payment file: an AvtaleGiro agreement file"
    assert str(error) == f"{AGREEMENTS.name}: not a payment file: an AvtaleGiro agreement file"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  \n\n",
        b"kundenr;navn;belop\n1001;Ola;100,00\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x00\x01\x02binary",
    ],
    ids=["empty", "blank", "csv", "pdf", "binary"],
)
def test_anything_neither_ocr_giro_nor_xml_is_refused_as_not_a_payment_file_r_bank_2(data: bytes) -> None:
    assert refused(data).problem.startswith("not a payment file")


def test_a_pain001_remittance_is_refused_as_not_a_payment_file_r_bank_2() -> None:
    """Krav writes pain.001 (R-BANK-3); read as an incoming file it is no payment file."""
    data = build_remittance(
        PainParty("Krav Inkasso AS", "974760673", "86011117947"),
        [PainPayment("E1", Money.of("10"), "Kreditor AS", "12345678903", "", date(2024, 5, 3))],
        message_id="REM-1",
        created=datetime(2024, 5, 2, 8, 30, tzinfo=ZoneInfo("Europe/Oslo")),
    )
    assert refused(data).problem.startswith("not a payment file: an ISO 20022 pain.001.001.03 message")


def test_a_utf8_byte_order_mark_does_not_hide_the_format_r_bank_2() -> None:
    ocr = parse_payment_file(codecs.BOM_UTF8 + OCR.read_bytes(), filename="bom.txt")
    assert ocr.total == Money.of("51449.00")
    camt = parse_payment_file(codecs.BOM_UTF8 + CAMT_V2.read_bytes(), filename="bom.xml")
    assert camt.format == "camt054.001.02"


def test_blanks_before_an_xml_declaration_are_refused_as_malformed_xml_naming_the_line_r_bank_2() -> None:
    error = refused(b"\n  " + CAMT_V2.read_bytes(), "blank.xml")
    assert (error.line, error.problem.startswith("not well-formed XML")) == (2, True)


def test_a_camt054_file_in_utf16_is_recognised_by_its_byte_order_mark_r_bank_2() -> None:
    text = CAMT_V4.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert parse_payment_file(text.encode("utf-16"), filename="u16.xml").format == "camt054.001.04"


def test_a_truncated_ocr_giro_file_is_refused_through_the_common_entry_point_r_bank_2() -> None:
    lines = OCR.read_bytes().splitlines(keepends=True)
    error = refused(b"".join(lines[:-1]), "cut.txt")
    assert error.line == 44


# -- the values -----------------------------------------------------------------------------------------------


def payment(reference: str, amount: str) -> IncomingPayment:
    return IncomingPayment(
        reference=reference,
        amount=Money.of(amount),
        paid_on=date(2024, 5, 2),
        kid="0000531",
        bank_id=f"test:{reference}",
    )


def test_a_payment_file_whose_total_is_not_the_sum_of_its_payments_cannot_be_built_r_bank_2() -> None:
    """R-BANK-2: matched + unmatched must equal the file total; the total is the sum, or there is no file."""
    payments = (payment("a", "10.00"), payment("b", "-2.50"))
    ok = PaymentFile("ocr_giro", "1", None, payments, (), Money.of("7.50"))
    assert ok.total == Money.sum(p.amount for p in ok.payments)
    with pytest.raises(ValueError, match=r"the payments sum to 7\.50 NOK, the file total is 7\.51 NOK"):
        PaymentFile("ocr_giro", "1", None, payments, (), Money.of("7.51"))


def test_a_payment_file_with_a_repeated_reference_or_a_second_currency_cannot_be_built_r_bank_2() -> None:
    with pytest.raises(ValueError, match="references repeat"):
        PaymentFile("ocr_giro", "1", None, (payment("a", "1"), payment("a", "2")), (), Money.of("3"))
    sek = IncomingPayment("s", Money.of("1", "SEK"), date(2024, 5, 2), None, "test:s")
    with pytest.raises(ValueError, match="in SEK"):
        PaymentFile("camt054.001.04", "1", None, (sek,), (), Money.of("1"))


def test_a_reversal_is_a_payment_with_a_negative_amount_r_bank_2() -> None:
    assert payment("r", "-100.00").is_reversal
    assert not payment("p", "100.00").is_reversal
    skipped = SkippedEntry("x", Money.of("5"), "a debit entry")
    parsed = PaymentFile("ocr_giro", "1", None, (payment("r", "-1"),), (skipped,), Money.of("-1"))
    assert [p.reference for p in parsed.reversals] == ["r"]
