"""Nets OCR giro import (R-BANK-2): the netsgiro fixture, Nets' own example with reversals, damaged files.

The fixture ``netsgiro_ocr_giro_transactions.txt`` (otovo/python-netsgiro, read from ``../shared/fixtures/ocr/``,
never copied) is transmission 0170031 from Nets (data transmitter 00008080) to data recipient 00010200, Nets
date 20.01.1992, 45 records: one assignment (number 0000002, agreement 001008566, account 9999.10.42764, lines
2-44) of 20 transactions dated 20.01.1992, each an amount item 1 (type 30) and 2 (type 31), transaction 1 (type
21, "purchase with text") also an amount item 3 (type 32) with the text "Foo bar baz". No sign is "-".

==  ====  ====  =========  ==============  ======
 #  line  type     amount  KID             scheme
==  ====  ====  =========  ==============  ======
 1     3    21   1 020,00  0000531         MOD11
 2     6    10   1 020,00  0036633         MOD11
 3     8    10     560,00  0048763         MOD11
 4    10    10   1 020,00  0063851         MOD11
 5    12    10   1 020,00  0120243         MOD11
 6    14    10     560,00  0165867         MOD11
 7    16    10   1 020,00  0178357         MOD11
 8    18    11   1 500,00  02212291038306  MOD11
 9    20    12   1 200,00  02311291038304  MOD10
10    22    13     550,00  02310291038308  MOD11
11    24    11   1 943,00  000149012       MOD11
12    26    12   1 000,00  01211291038306  MOD11
13    28    13     500,00  02111291038305  MOD11
14    30    13  20 500,00  02321291038303  MOD10
15    32    13   5 500,00  02331291038302  MOD10
16    34    13  10 500,00  02341291038301  MOD10
17    36    10     644,00  02358291038305  MOD10
18    38    10     564,00  02311291029238  MOD10
19    40    10     288,00  02311291034832  MOD10
20    42    10     540,00  02311291133188  MOD10
==  ====  ====  =========  ==============  ======

Sum: 5 × 1 020 + 2 × 560 + 1 500 + 1 200 + 550 + 1 943 + 1 000 + 500 + 20 500 + 5 500 + 10 500 + 644 + 564
+ 288 + 540 = 5 100 + 1 120 + 6 693 + 36 500 + 2 036 = 51 449,00, which both end records declare (line 44:
20 transactions, 43 records, 00000000005144900 øre; line 45: 20 transactions, 45 records, the same total).
"MOD11" is the scheme :func:`kid_scheme_of` reports; every KID passes its check (12 MOD11, 8 MOD10).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import netsgiro
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from netsgiro import AssignmentType, ServiceCode, TransactionType
from netsgiro.records import (
    AssignmentEnd,
    AssignmentStart,
    TransactionAmountItem1,
    TransactionAmountItem2,
    TransactionAmountItem3,
    TransmissionEnd,
    TransmissionStart,
)

from krav.domain.errors import FileFormatError
from krav.domain.kid import KidScheme, is_valid_kid, kid_scheme_of, mod10_check_digit, mod11_check_digit
from krav.domain.money import Money
from krav.formats.ocr_giro import parse_ocr_giro
from krav.formats.payments import PaymentFile

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
OCR_FIXTURE = FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt"
AGREEMENTS_FIXTURE = FIXTURES / "ocr" / "netsgiro_avtalegiro_agreements.txt"
SPEC_EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "nets_ocr_giro_spec_example.txt"

EXPECTED = [  # transaction number, line, amount, KID, scheme
    (1, 3, "1020.00", "0000531", KidScheme.MOD11),
    (2, 6, "1020.00", "0036633", KidScheme.MOD11),
    (3, 8, "560.00", "0048763", KidScheme.MOD11),
    (4, 10, "1020.00", "0063851", KidScheme.MOD11),
    (5, 12, "1020.00", "0120243", KidScheme.MOD11),
    (6, 14, "560.00", "0165867", KidScheme.MOD11),
    (7, 16, "1020.00", "0178357", KidScheme.MOD11),
    (8, 18, "1500.00", "02212291038306", KidScheme.MOD11),
    (9, 20, "1200.00", "02311291038304", KidScheme.MOD10),
    (10, 22, "550.00", "02310291038308", KidScheme.MOD11),
    (11, 24, "1943.00", "000149012", KidScheme.MOD11),
    (12, 26, "1000.00", "01211291038306", KidScheme.MOD11),
    (13, 28, "500.00", "02111291038305", KidScheme.MOD11),
    (14, 30, "20500.00", "02321291038303", KidScheme.MOD10),
    (15, 32, "5500.00", "02331291038302", KidScheme.MOD10),
    (16, 34, "10500.00", "02341291038301", KidScheme.MOD10),
    (17, 36, "644.00", "02358291038305", KidScheme.MOD10),
    (18, 38, "564.00", "02311291029238", KidScheme.MOD10),
    (19, 40, "288.00", "02311291034832", KidScheme.MOD10),
    (20, 42, "540.00", "02311291133188", KidScheme.MOD10),
]


def fixture_lines() -> list[str]:
    assert OCR_FIXTURE.is_file(), f"the netsgiro OCR giro fixture is missing at {OCR_FIXTURE}"
    return OCR_FIXTURE.read_text(encoding="iso-8859-1").splitlines()


def parse_lines(lines: Sequence[str], name: str = "ocr.txt") -> PaymentFile:
    return parse_ocr_giro(("\n".join(lines) + "\n").encode("iso-8859-1"), filename=name)


def refused(lines: Sequence[str]) -> FileFormatError:
    with pytest.raises(FileFormatError) as caught:
        parse_lines(lines)
    return caught.value


def with_field(line: str, start: int, value: str) -> str:
    """``line`` with ``value`` written from 0-based position ``start``."""
    return line[:start] + value + line[start + len(value) :]


@pytest.fixture(scope="module")
def fixture_file() -> PaymentFile:
    return parse_ocr_giro(OCR_FIXTURE.read_bytes(), filename=OCR_FIXTURE.name)


# -- the netsgiro fixture -------------------------------------------------------------------------------------


def test_the_fixture_path_is_the_shared_fixture_folder_beside_the_project_r_bank_2() -> None:
    project = Path(__file__).resolve().parents[2]
    assert (project / "pyproject.toml").is_file()
    assert project.parent / "shared" / "fixtures" == FIXTURES
    assert OCR_FIXTURE.is_file()


def test_the_fixture_yields_20_payments_summing_to_51_449_kroner_as_its_end_records_declare_r_bank_2(
    fixture_file: PaymentFile,
) -> None:
    """R-BANK-2: 5 100 + 1 120 + 6 693 + 36 500 + 2 036 = 51 449,00 (see the module docstring)."""
    assert fixture_file.format == "ocr_giro"
    assert fixture_file.file_id == "0170031"
    assert fixture_file.created == date(1992, 1, 20)
    assert len(fixture_file.payments) == 20
    assert fixture_file.skipped == ()
    assert fixture_file.total == Money.of("51449.00")
    assert Money.sum(p.amount for p in fixture_file.payments) == fixture_file.total
    assert fixture_file.reversals == ()


def test_the_fixture_payments_carry_the_amounts_kids_and_lines_of_the_file_r_bank_2(fixture_file: PaymentFile) -> None:
    """R-BANK-2: every transaction, in file order, with the line of its amount item 1."""
    got = [
        (p.reference, p.source_line, p.amount.amount, p.kid, kid_scheme_of(p.kid or "")) for p in fixture_file.payments
    ]
    assert got == [
        (f"0170031/0000002/{number:07d}", line, Decimal(amount), kid, scheme)
        for number, line, amount, kid, scheme in EXPECTED
    ]


def test_the_fixture_kids_mix_mod10_and_mod11_and_every_one_passes_its_check_r_bank_1(
    fixture_file: PaymentFile,
) -> None:
    """R-BANK-1: 12 KIDs check under MOD11 only (or are reported MOD11), 8 under MOD10."""
    kids = [p.kid for p in fixture_file.payments]
    assert all(kid is not None and is_valid_kid(kid) for kid in kids)
    schemes = [kid_scheme_of(kid or "") for kid in kids]
    assert schemes.count(KidScheme.MOD11) == 12
    assert schemes.count(KidScheme.MOD10) == 8


def test_every_fixture_payment_is_paid_on_the_nets_date_into_the_assignment_account_r_bank_2(
    fixture_file: PaymentFile,
) -> None:
    assert {p.paid_on for p in fixture_file.payments} == {date(1992, 1, 20)}
    assert {p.creditor_account for p in fixture_file.payments} == {"99991042764"}
    assert all(p.payer_name is None for p in fixture_file.payments)  # OCR giro carries no payer name


def test_the_debited_account_and_the_free_text_come_from_amount_items_2_and_3_r_bank_2(
    fixture_file: PaymentFile,
) -> None:
    first, second = fixture_file.payments[:2]
    assert (first.payer_account, first.free_text) == ("99990512341", "Foo bar baz")
    assert (second.payer_account, second.free_text) == ("99991005524", None)


def test_the_parse_agrees_with_netsgiros_own_objects_api_on_count_and_sum_r_bank_2(fixture_file: PaymentFile) -> None:
    transmission = netsgiro.parse(OCR_FIXTURE.read_text(encoding="iso-8859-1"))
    transactions = [t for a in transmission.assignments for t in a.transactions]
    assert len(transactions) == len(fixture_file.payments) == 20
    assert transmission.get_total_amount() == fixture_file.total.amount == Decimal("51449")
    assert [t.kid for t in transactions] == [p.kid for p in fixture_file.payments]


# -- Nets' specification example: reversals ---------------------------------------------------------------


def test_nets_example_subtracts_its_three_reversals_marked_minus_and_matches_its_net_total_r_bank_2() -> None:
    """R-BANK-2: sign "-" is a reversal. 19 930,00 gross − 2 × (250 + 400 + 1 500) = 15 630,00 declared."""
    parsed = parse_ocr_giro(SPEC_EXAMPLE.read_bytes(), filename=SPEC_EXAMPLE.name)
    assert len(parsed.payments) == 23
    assert [(p.source_line, p.amount.amount) for p in parsed.reversals] == [
        (31, Decimal("-250.00")),
        (33, Decimal("-400.00")),
        (35, Decimal("-1500.00")),
    ]
    gross = Money.sum(abs(p.amount) for p in parsed.payments)
    assert gross == Money.of("19930.00")
    assert parsed.total == Money.of("15630.00") == gross - Money.of("4300.00")
    assert all(p.is_reversal == p.amount.is_negative() for p in parsed.payments)


def test_a_total_counted_without_the_sign_is_refused_naming_the_assignment_end_r_bank_2() -> None:
    """R-BANK-2: the declared total is net; a gross 19 930,00 does not add up."""
    lines = SPEC_EXAMPLE.read_text(encoding="ascii").splitlines()
    lines[48] = with_field(lines[48], 24, "00000000001993000")
    lines[49] = with_field(lines[49], 24, "00000000001993000")
    error = refused(lines)
    assert error.line == 49
    assert "declares a total of 19 930,00; its transactions sum to 15 630,00" in error.problem


# -- damaged files are refused whole, naming the line -------------------------------------------------------


def test_a_changed_digit_in_the_transmission_total_is_refused_naming_line_45_r_bank_2() -> None:
    lines = fixture_lines()
    lines[44] = with_field(lines[44], 24, "00000000005144800")
    error = refused(lines)
    assert error.line == 45
    assert "declares a total of 51 448,00; the transactions sum to 51 449,00" in error.problem
    assert str(error).startswith("ocr.txt, line 45: ")


def test_a_changed_digit_in_the_assignment_total_is_refused_naming_line_44_r_bank_2() -> None:
    lines = fixture_lines()
    lines[43] = with_field(lines[43], 24, "00000000005144901")
    error = refused(lines)
    assert error.line == 44
    assert "declares a total of 51 449,01" in error.problem


def test_a_changed_transaction_amount_is_refused_by_the_assignment_total_r_bank_2() -> None:
    lines = fixture_lines()
    lines[2] = with_field(lines[2], 32, "00000000000102001")  # 1 020,00 → 1 020,01
    error = refused(lines)
    assert error.line == 44
    assert "its transactions sum to 51 449,01" in error.problem


def test_a_changed_transaction_count_is_refused_naming_the_transmission_end_r_bank_2() -> None:
    lines = fixture_lines()
    lines[44] = with_field(lines[44], 8, "00000021")
    error = refused(lines)
    assert error.line == 45
    assert "declares 21 transactions; there are 20" in error.problem


def test_a_file_cut_before_its_transmission_end_is_refused_as_incomplete_r_bank_2() -> None:
    error = refused(fixture_lines()[:-1])
    assert error.line == 44
    assert "without a transmission end record (type 89): it is incomplete" in error.problem


def test_a_file_cut_inside_its_assignment_is_refused_as_incomplete_r_bank_2() -> None:
    error = refused(fixture_lines()[:30])
    assert error.line == 30
    assert "without an end record (type 88) for the assignment of line 2" in error.problem


def test_a_79_character_line_is_refused_naming_it_r_bank_2() -> None:
    lines = fixture_lines()
    lines[9] = lines[9][:-1]
    error = refused(lines)
    assert error.line == 10
    assert error.problem == "a record is 80 characters long; this line has 79"


def test_an_unknown_record_type_is_refused_naming_the_line_r_bank_2() -> None:
    lines = fixture_lines()
    lines[6] = with_field(lines[6], 6, "33")
    error = refused(lines)
    assert error.line == 7
    assert "unknown record type '33'" in error.problem


def test_a_record_that_breaks_the_nets_layout_is_refused_naming_the_line_r_bank_2() -> None:
    lines = fixture_lines()
    lines[5] = with_field(lines[5], 32, "0000000000010200A")
    error = refused(lines)
    assert error.line == 6
    assert "not a valid amount item 1 record (type 30)" in error.problem


def test_a_line_not_starting_with_ny_is_refused_naming_it_r_bank_2() -> None:
    lines = fixture_lines()
    lines[11] = "XX" + lines[11][2:]
    assert refused(lines).line == 12


def test_a_transaction_without_its_amount_item_2_is_refused_r_bank_2() -> None:
    lines = fixture_lines()
    del lines[3]
    error = refused(lines)
    assert error.line == 4
    assert "transaction 1 of line 3 has no amount item 2 (type 31)" in error.problem


def test_two_assignments_with_one_number_are_refused_r_bank_2() -> None:
    lines = fixture_lines()
    error = refused([lines[0], *lines[1:44], *lines[1:44], lines[44]])
    assert error.line == 45
    assert "assignment number 0000002 is already used by the assignment of line 2" in error.problem


def test_records_after_the_transmission_end_are_refused_r_bank_2() -> None:
    lines = fixture_lines()
    error = refused([*lines, lines[1]])
    assert error.line == 46


def test_an_empty_line_inside_the_file_is_refused_naming_it_r_bank_2() -> None:
    lines = fixture_lines()
    assert refused([*lines[:5], "", *lines[5:]]).line == 6


def test_windows_line_endings_and_trailing_newlines_are_read_alike_r_bank_2(fixture_file: PaymentFile) -> None:
    data = ("\r\n".join(fixture_lines()) + "\r\n\r\n").encode("iso-8859-1")
    assert parse_ocr_giro(data, filename="ocr.txt").payments == fixture_file.payments


# -- AvtaleGiro ----------------------------------------------------------------------------------------------


def test_an_avtalegiro_agreement_file_is_refused_as_not_a_payment_file_r_bank_2() -> None:
    with pytest.raises(FileFormatError) as caught:
        parse_ocr_giro(AGREEMENTS_FIXTURE.read_bytes(), filename=AGREEMENTS_FIXTURE.name)
    assert caught.value.problem == "not a payment file: an AvtaleGiro agreement file"


def test_agreements_inside_an_ocr_giro_transmission_are_skipped_and_each_reported_r_bank_2() -> None:
    payments = fixture_lines()
    agreements = AGREEMENTS_FIXTURE.read_text(encoding="iso-8859-1").splitlines()
    end = with_field(payments[-1], 8, "00000036")  # 20 + 16 transactions
    end = with_field(end, 16, "00000063")  # 45 + 18 records
    agreement_start = with_field(agreements[1], 17, "0000003")  # its own assignment number
    parsed = parse_lines([*payments[:-1], agreement_start, *agreements[2:-1], end])
    assert len(parsed.payments) == 20
    assert parsed.total == Money.of("51449.00")
    assert len(parsed.skipped) == 16
    first = parsed.skipped[0]
    assert (first.reference, first.source_line, first.amount) == ("0170031/0000003/0000001", 46, Money.zero())
    assert "AvtaleGiro agreement update for KID 000112000507155" in first.reason


def test_avtalegiro_payment_claims_are_refused_as_not_a_payment_file_r_bank_2() -> None:
    transmission = netsgiro.Transmission(number="1000081", data_transmitter="55555555", data_recipient="00008080")
    assignment = transmission.add_assignment(
        service_code=ServiceCode.AVTALEGIRO,
        assignment_type=AssignmentType.TRANSACTIONS,
        number="4000086",
        account="88888888888",
    )
    assignment.add_payment_request(kid="000133700501645", due_date=date(2030, 1, 15), amount=Decimal("100.00"))
    with pytest.raises(FileFormatError, match="not a payment file: AvtaleGiro payment claims") as caught:
        parse_ocr_giro(transmission.to_ocr().encode("iso-8859-1"), filename="claims.txt")
    assert caught.value.line == 2


# -- files built here: KIDs ending in "-", round trips -----------------------------------------------------


@dataclass(frozen=True)
class Tx:
    """One OCR giro transaction as a test writes it."""

    ore: int
    kid: str | None
    nets_date: date = date(2024, 5, 2)
    reversal: bool = False
    type: int = 10
    debit_account: str = "12345678903"
    text: str | None = None


def transaction_lines(tx: Tx, number: int) -> list[str]:
    item1 = TransactionAmountItem1(
        service_code=ServiceCode.OCR_GIRO,
        transaction_type=TransactionType(tx.type),
        transaction_number=number,
        nets_date=tx.nets_date,
        amount=tx.ore,
        kid=tx.kid or "0",
        centre_id="13",
        day_code=tx.nets_date.day,
        partial_settlement_number=1,
        partial_settlement_serial_number="01464",
        sign="-" if tx.reversal else "0",
    ).to_ocr()
    if tx.kid is None:
        item1 = with_field(item1, 49, " " * 25)
    item2 = TransactionAmountItem2(
        service_code=ServiceCode.OCR_GIRO,
        transaction_type=TransactionType(tx.type),
        transaction_number=number,
        reference="099038562",
        form_number="9636827194",
        bank_date=None,
        debit_account=tx.debit_account,
    ).to_ocr()
    lines = [item1, item2]
    if tx.text is not None:
        lines.append(
            TransactionAmountItem3(
                service_code=ServiceCode.OCR_GIRO,
                transaction_type=TransactionType(tx.type),
                transaction_number=number,
                text=tx.text,
            ).to_ocr()
        )
    return lines


def signed(tx: Tx) -> int:
    return -tx.ore if tx.reversal else tx.ore


def account_of(assignment: int) -> str:
    return f"9999{assignment:07d}"


def ocr_file(
    assignments: Sequence[Sequence[Tx]], *, number: str = "1000001", nets_date: date = date(2024, 5, 2)
) -> bytes:
    """An OCR giro transmission from Nets holding ``assignments``, its totals net of reversals."""
    lines = [
        TransmissionStart(
            service_code=ServiceCode.NONE,
            transmission_number=number,
            data_transmitter="00008080",
            data_recipient="00010200",
        ).to_ocr()
    ]
    for index, transactions in enumerate(assignments, start=1):
        body = [line for n, tx in enumerate(transactions, start=1) for line in transaction_lines(tx, n)]
        dates = [tx.nets_date for tx in transactions]
        lines.append(
            AssignmentStart(
                service_code=ServiceCode.OCR_GIRO,
                assignment_type=AssignmentType.TRANSACTIONS,
                assignment_number=f"{index:07d}",
                assignment_account=account_of(index),
                agreement_id="001008566",
            ).to_ocr()
        )
        lines.extend(body)
        lines.append(
            AssignmentEnd(
                service_code=ServiceCode.OCR_GIRO,
                assignment_type=AssignmentType.TRANSACTIONS,
                num_transactions=len(transactions),
                num_records=len(body) + 2,
                total_amount=sum(signed(tx) for tx in transactions),
                nets_date_1=nets_date,
                nets_date_2=min(dates, default=None),
                nets_date_3=max(dates, default=None),
            ).to_ocr()
        )
    lines.append(
        TransmissionEnd(
            service_code=ServiceCode.NONE,
            num_transactions=sum(len(a) for a in assignments),
            num_records=len(lines) + 1,
            total_amount=sum(signed(tx) for a in assignments for tx in a),
            nets_date=nets_date,
        ).to_ocr()
    )
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


def test_a_mod11_kid_ending_in_a_dash_is_kept_as_given_r_bank_1() -> None:
    """R-BANK-1: a MOD11 check digit of 10 is written "-"; netsgiro alone refuses such a line."""
    kid = "1234564" + mod11_check_digit("1234564")
    assert kid.endswith("-")
    data = ocr_file([[Tx(50000, kid), Tx(12345, "0000531")]])
    with pytest.raises(ValueError, match="did not match"):
        netsgiro.parse(data.decode("iso-8859-1"))
    parsed = parse_ocr_giro(data, filename="dash.txt")
    assert [p.kid for p in parsed.payments] == [kid, "0000531"]
    assert is_valid_kid(kid, KidScheme.MOD11)


def test_a_transaction_without_kid_has_none_r_bank_2() -> None:
    parsed = parse_ocr_giro(ocr_file([[Tx(100, None, type=21, text="Faktura 17")]]), filename="t.txt")
    assert (parsed.payments[0].kid, parsed.payments[0].free_text) == (None, "Faktura 17")


def test_an_empty_transmission_is_a_payment_file_with_nothing_in_it_r_bank_2() -> None:
    parsed = parse_ocr_giro(ocr_file([]), filename="empty.txt")
    assert (parsed.payments, parsed.skipped, parsed.total) == ((), (), Money.zero())


def test_a_net_negative_assignment_cannot_be_declared_and_is_refused_r_bank_2() -> None:
    data = ocr_file([[Tx(100, "0000531")]]).decode("iso-8859-1").splitlines()
    data[2] = with_field(data[2], 31, "-")  # the only payment becomes a reversal: net −1,00
    error = refused(data)
    assert error.line == 5
    assert "its transactions sum to -1,00" in error.problem


bases = st.text(alphabet="0123456789", min_size=1, max_size=24)
kids = st.one_of(
    st.none(),
    bases.map(lambda base: base + mod10_check_digit(base)),
    bases.map(lambda base: base + mod11_check_digit(base)),
)
transactions = st.builds(
    Tx,
    ore=st.integers(min_value=1, max_value=10**12),
    kid=kids,
    nets_date=st.dates(min_value=date(2000, 1, 1), max_value=date(2068, 12, 31)),
    reversal=st.integers(min_value=0, max_value=4).map(lambda n: n == 0),
    type=st.sampled_from(range(10, 20)),
    debit_account=st.one_of(st.just("00000000000"), st.text(alphabet="0123456789", min_size=11, max_size=11)),
)
texts = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåÆØÅ0123456789 .,-", max_size=40)
with_text = st.builds(
    Tx,
    ore=st.integers(min_value=1, max_value=10**9),
    kid=st.none(),
    type=st.sampled_from([20, 21]),
    text=texts,
)
assignment_lists = st.lists(st.lists(st.one_of(transactions, with_text), max_size=8), max_size=3)


def nonnegative(assignments: Sequence[Sequence[Tx]]) -> bool:
    return all(sum(signed(tx) for tx in a) >= 0 for a in assignments)


@settings(max_examples=60, deadline=None)
@given(assignments=assignment_lists)
def test_payments_written_as_an_ocr_giro_file_are_read_back_the_same_r_bank_2(assignments: list[list[Tx]]) -> None:
    """R-BANK-2: a round trip through netsgiro's record writer; the total is always the signed sum."""
    assume(nonnegative(assignments))
    parsed = parse_ocr_giro(ocr_file(assignments), filename="roundtrip.txt")
    expected = [
        (
            f"1000001/{a:07d}/{n:07d}",
            Money.from_ore(signed(tx)),
            tx.nets_date,
            "".join((tx.kid or "").split()) or None,
            None if set(tx.debit_account) == {"0"} else tx.debit_account,
            (tx.text or "").strip() or None,
            account_of(a),
            tx.reversal,
        )
        for a, txs in enumerate(assignments, start=1)
        for n, tx in enumerate(txs, start=1)
    ]
    got = [
        (p.reference, p.amount, p.paid_on, p.kid, p.payer_account, p.free_text, p.creditor_account, p.is_reversal)
        for p in parsed.payments
    ]
    assert got == expected
    assert parsed.total == Money.sum(p.amount for p in parsed.payments)
    assert parsed.total == Money.from_ore(sum(signed(tx) for a in assignments for tx in a))


@settings(max_examples=60, deadline=None)
@given(
    assignment=st.lists(transactions, min_size=1, max_size=6),
    pick=st.integers(min_value=0),
    position=st.integers(min_value=0, max_value=16),
    digit=st.integers(min_value=1, max_value=9),
)
def test_any_one_changed_digit_of_an_amount_is_refused_by_the_totals_r_bank_2(
    assignment: list[Tx], pick: int, position: int, digit: int
) -> None:
    """R-BANK-2: a file whose own totals do not add up is refused whole, naming the assignment end."""
    assume(nonnegative([assignment]))
    lines = ocr_file([assignment]).decode("iso-8859-1").splitlines()
    item1_lines = [i for i, line in enumerate(lines) if line[6:8] == "30"]
    index = item1_lines[pick % len(item1_lines)]
    old = lines[index][32 + position]
    new = str((int(old) + digit) % 10)
    lines[index] = with_field(lines[index], 32 + position, new)
    error = refused(lines)
    assert error.line == len(lines) - 1  # the assignment end


def test_the_bank_date_of_a_transaction_is_the_day_the_payment_was_ordered_r_clm_14(
    fixture_file: PaymentFile,
) -> None:
    """R-CLM-14: the bank date of amount item 2 (DDMMYY at position 41) is kept as ``ordered_on`` where the
    record has one; ``paid_on`` stays the Nets date. In the fixture every transaction was booked on 20 January
    1992; the first was ordered on the 16th, the ninth has no bank date."""
    payments = fixture_file.payments
    assert {p.paid_on for p in payments} == {date(1992, 1, 20)}
    assert payments[0].ordered_on == date(1992, 1, 16)
    assert payments[2].ordered_on == date(1992, 1, 17)
    assert payments[8].ordered_on is None
    lines = fixture_lines()
    written = [line[41:47] for line in lines if line.startswith("NY09") and line[6:8] == "31"]
    assert [p.ordered_on.strftime("%d%m%y") if p.ordered_on else "000000" for p in payments] == written
