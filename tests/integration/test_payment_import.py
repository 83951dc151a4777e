"""Payment files of the client account through ``import_payments`` on SQLite and PostgreSQL (R-BANK-1, R-BANK-2,
R-CLM-7, R-CLM-9, R-CLM-12).

The set-up (one creditor, no reminder before the notice, interest charged at 12.50 % in 2025 H1):

* debtor 10001 owes 1001 (1000.00) and 1002 (500.00), debtor 20001 owes 2001 (800.00), all issued 1 March and
  due 14 March 2025. The run of Friday 28 March submits them and sends each debtor a notice (deadline 11 April):
  letter 10001/1 = 1000.00 + 35.00 fee + 4.79 interest + 500.00 + 2.40 interest = 1542.19, letter 20001/1 =
  800.00 + 35.00 + 3.84 = 838.84, where interest = principal × 0.125 × 14 / 365 (1000 → 4.7945, 500 → 2.3973,
  800 → 3.8356, rounded to øre).
* Payments are booked on Tuesday 1 April 2025, a bank day, 18 interest days after the due date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy.engine import Engine

from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.errors import FileFormatError, NotFound
from krav.domain.kid import KidScheme, is_valid_kid, make_kid
from krav.domain.money import Money
from krav.formats.camt054 import camt054_namespace
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import collection, ledger
from krav.services.collection import payments
from krav.services.ports import ClaimFilter, StoredLetter, UnitOfWork
from tests.builders import ORGNO, SERVICE, consumer, invoice, make_company, post, run_day
from tests.conftest import FIXTURES

RATES = load_rate_tables()
OCR = FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt"
AVTALEGIRO = FIXTURES / "ocr" / "netsgiro_avtalegiro_agreements.txt"
CAMT_V2 = FIXTURES / "camt" / "genkgo_camt054.v2.xml"
CAMT_V4 = FIXTURES / "camt" / "genkgo_camt054.v4.xml"

NOTICE_DAY = date(2025, 3, 28)
DEADLINE = date(2025, 4, 11)
PAY_DAY = date(2025, 4, 1)
NS = {"c": camt054_namespace(2)}

# The 20 amounts of the OCR fixture: 5 × 1020 + 2 × 560 + 1500 + 1200 + 550 + 1943 + 1000 + 500 + 20500 + 5500
# + 10500 + 644 + 564 + 288 + 540 = 51 449.00 (its own trailer says 5144900 øre).
OCR_TOTAL = Money.of("51449.00")


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    unit = unit_of_work(engine)
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann")])
    issued, due = date(2025, 3, 1), date(2025, 3, 14)
    post(
        unit,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
    )
    with unit:
        company = unit.companies.get(ORGNO)
        assert company.id is not None
        unit.agreements.save(
            company.id,
            Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no"),
        )
        unit.commit()
    _run(unit, NOTICE_DAY)
    return unit


def _run(uow: UnitOfWork, day: date) -> collection.DayReport:
    return run_day(uow, ORGNO, day, rates=RATES, service=SERVICE)


def _letter(uow: UnitOfWork, debtor: str, n: int = 1) -> StoredLetter:
    with uow:
        return next(lt for lt in uow.collection.letters(1, debtor=debtor) if lt.n == n)


def _claim(uow: UnitOfWork, number: str) -> Claim:
    with uow:
        return uow.collection.claims(1, ClaimFilter(invoice_numbers=[number]))[0]


def _camt(credits: Sequence[Credit], message_id: str = "MSG-1") -> bytes:
    return build_camt054(
        SERVICE.account, credits, message_id=message_id, created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC)
    )


def _stored(uow: UnitOfWork) -> list[tuple[Any, ...]]:
    """Every client-account payment as stored, in id order."""
    with uow:
        return [
            (p.id, p.reference, p.amount, p.kid, p.status, p.reason, p.letter_id) for p in uow.collection.payments()
        ]


def _settlements(uow: UnitOfWork) -> list[tuple[date, Money, Money, Money, Money]]:
    with uow:
        return [(s.settled_on, s.principal, s.fee, s.interest, s.overpaid) for s in uow.collection.settlements(1)]


def _adds_up(report: payments.PaymentImportReport) -> None:
    """R-BANK-2: every payment is matched or unmatched, and the two parts make the file total to the øre."""
    assert report.matched_total + report.unmatched_total == report.total
    assert len(report.matched) + len(report.unmatched) == len(report.outcomes)


# -- the external fixtures ----------------------------------------------------------------------------------------


def test_the_ocr_fixture_imports_20_payments_all_unmatched_for_want_of_a_letter_r_bank_2(uow: UnitOfWork) -> None:
    """R-BANK-2, R-CLM-7: the fixture's KIDs all pass their check digit, and no letter carries one of them."""
    report = payments.import_payments(uow, OCR.read_bytes(), filename=OCR.name)
    assert (report.format, report.already_imported, len(report.outcomes)) == ("ocr_giro", False, 20)
    assert report.total == OCR_TOTAL
    assert (report.matched, report.unmatched_total) == ([], OCR_TOTAL)
    _adds_up(report)
    assert all(o.kid is not None and is_valid_kid(o.kid) for o in report.outcomes)
    assert [o.reason for o in report.outcomes] == [f"no letter with KID {o.kid}" for o in report.outcomes]
    assert report.outcomes[0].kid == "0000531"

    queue = payments.unmatched(uow)
    assert len(queue) == 20
    assert Money.sum(p.amount for p in queue) == OCR_TOTAL
    assert sorted((p.kid, p.reason) for p in queue) == sorted((o.kid, o.reason) for o in report.outcomes)
    assert {p.company_id for p in queue} == {None}


def test_the_same_file_imported_twice_changes_nothing_r_bank_2(uow: UnitOfWork) -> None:
    first = payments.import_payments(uow, OCR.read_bytes(), filename=OCR.name)
    before = _stored(uow)
    again = payments.import_payments(uow, OCR.read_bytes(), filename="renamed.txt")
    assert (first.already_imported, again.already_imported) == (False, True)
    assert _stored(uow) == before
    assert len(before) == 20
    _adds_up(again)


def test_an_avtalegiro_agreement_file_is_refused_and_nothing_is_stored_r_bank_2(uow: UnitOfWork) -> None:
    with pytest.raises(FileFormatError, match="not a payment file"):
        payments.import_payments(uow, AVTALEGIRO.read_bytes(), filename=AVTALEGIRO.name)
    assert _stored(uow) == []


@pytest.mark.parametrize(("path", "version"), [(CAMT_V2, "camt054.001.02"), (CAMT_V4, "camt054.001.04")])
def test_a_camt054_fixture_with_one_debit_imports_no_payment_and_one_skipped_entry_r_bank_2(
    uow: UnitOfWork, path: Path, version: str
) -> None:
    report = payments.import_payments(uow, path.read_bytes(), filename=path.name)
    assert (report.format, report.outcomes, len(report.skipped)) == (version, [], 1)
    assert "debit" in report.skipped[0]
    assert report.total == Money.of("0.00", report.total.currency)
    _adds_up(report)
    assert _stored(uow) == []


# -- KIDs and letters ---------------------------------------------------------------------------------------------


def test_a_kid_failing_its_check_digit_goes_to_the_manual_queue_with_that_reason_r_bank_1(
    uow: UnitOfWork,
) -> None:
    letter = _letter(uow, "20001")
    assert letter.kid is not None
    # the letter's KID with its last digit changed to the first that neither MOD10 nor MOD11 accepts
    bad = next(letter.kid[:-1] + d for d in "0123456789" if not is_valid_kid(letter.kid[:-1] + d))
    assert bad != letter.kid
    report = payments.import_payments(uow, _camt([Credit("B1", letter.total, PAY_DAY, kid=bad)]), filename="bad.xml")
    assert [(o.matched, o.reason) for o in report.outcomes] == [(False, f"KID {bad} fails its check digit")]
    _adds_up(report)
    assert [(p.kid, p.reason) for p in payments.unmatched(uow)] == [(bad, f"KID {bad} fails its check digit")]
    day = _run(uow, PAY_DAY)
    assert day.payments_applied == 0
    assert _claim(uow, "2001").stage is Stage.NOTICE
    assert _settlements(uow) == []


@pytest.mark.parametrize(
    ("paid_on", "on", "reason"),
    [
        # dated before the letter whose KID it carries was written (28 March): a mistake in the file or the KID
        (date(2025, 3, 20), PAY_DAY, "paid 20.03.2025, before the letter with KID {kid} was written (28.03.2025)"),
        # dated more than a year before the business day
        (date(2025, 3, 31), date(2026, 4, 1), "paid 31.03.2025, more than a year before 01.04.2026"),
    ],
)
def test_an_implausibly_dated_payment_goes_to_the_manual_queue_and_is_not_applied_r_clm_7(
    uow: UnitOfWork, paid_on: date, on: date, reason: str
) -> None:
    letter = _letter(uow, "20001")
    assert letter.kid is not None
    data = _camt([Credit("D1", letter.total, paid_on, kid=letter.kid)])
    report = payments.import_payments(uow, data, filename="d.xml", on=on)
    wanted = reason.format(kid=letter.kid) + ": check it by hand"
    assert [(o.matched, o.reason) for o in report.outcomes] == [(False, wanted)]
    assert [p.reason for p in payments.unmatched(uow)] == [wanted]
    assert _run(uow, PAY_DAY).payments_applied == 0
    assert _claim(uow, "2001").stage is Stage.NOTICE


@pytest.mark.parametrize(
    ("short_by", "stage", "principal_left"),
    [
        # the letter total 838.84 by the deadline settles the claim, interest after 28 March waived (R-CLM-12)
        ("0.00", Stage.CLOSED, "0.00"),
        # 838.83 is no letter total: fee 35.00, interest to 1 April 800 × 0.125 × 18 / 365 = 4.93, then 798.90 of
        # the principal (35.00 + 4.93 + 798.90 = 838.83), so 1.10 of it is left (R-CLM-7)
        ("0.01", Stage.NOTICE, "1.10"),
    ],
    ids=["letter-total", "one-ore-short"],
)
def test_a_payment_with_a_letters_kid_is_matched_and_applied_in_the_next_run_r_clm_7_r_clm_12(
    uow: UnitOfWork, short_by: str, stage: Stage, principal_left: str
) -> None:
    letter = _letter(uow, "20001")
    assert letter.total == Money.of("838.84")  # 800.00 + 35.00 + 3.84
    amount = letter.total - Money.of(short_by)
    report = payments.import_payments(
        uow, _camt([Credit("P1", amount, PAY_DAY, kid=letter.kid, payer_name="Kari")]), filename="p.xml"
    )
    assert [(o.matched, o.company, o.letter, o.reason) for o in report.outcomes] == [(True, ORGNO, "20001/1", None)]
    _adds_up(report)
    assert [(status, letter_id) for *_, status, _, letter_id in _stored(uow)] == [("pending", letter.id)]
    assert _claim(uow, "2001").stage is Stage.NOTICE  # nothing is applied before the run

    day = _run(uow, PAY_DAY)
    assert day.payments_applied == 1
    claim = _claim(uow, "2001")
    assert (claim.stage, claim.principal_outstanding) == (stage, Money.of(principal_left))
    assert [status for *_, status, _, _ in _stored(uow)] == ["applied"]
    remitted = _settlements(uow)
    assert len(remitted) == 1
    assert remitted[0][0] == PAY_DAY
    assert Money.sum(remitted[0][1:]) == amount  # the whole payment is remitted that day (R-BANK-3)


def test_paying_the_letter_total_closes_the_claim_paid_waives_later_interest_and_is_settled_that_day_r_clm_12(
    uow: UnitOfWork,
) -> None:
    """R-CLM-12, R-CLM-9, R-BANK-3: the letter said 3.84 interest; by 1 April 4.93 had accrued (800 × 0.125 × 18 /
    365 = 4.9315), so 1.09 is waived; the settlement that day is 800.00 + 35.00 + 3.84 = 838.84."""
    letter = _letter(uow, "20001")
    payments.import_payments(uow, _camt([Credit("P1", letter.total, PAY_DAY, kid=letter.kid)]), filename="p.xml")
    day = _run(uow, PAY_DAY)
    claim = _claim(uow, "2001")
    assert (claim.stage, claim.closed_reason, claim.closed_on) == (Stage.CLOSED, ClosedReason.PAID, PAY_DAY)
    assert (claim.interest_paid, claim.interest_waived, claim.overpaid) == (
        Money.of("3.84"),
        Money.of("1.09"),
        Money.of("0.00"),
    )
    assert day.letters["paid_confirmation"] == 1
    assert _settlements(uow) == [
        (PAY_DAY, Money.of("800.00"), Money.of("35.00"), Money.of("3.84"), Money.of("0.00")),
    ]
    assert day.settled == Money.of("838.84")
    assert ledger.balance(uow, ORGNO).balanced


def test_a_matched_file_imported_twice_is_applied_and_remitted_once_r_bank_2(uow: UnitOfWork) -> None:
    letter = _letter(uow, "20001")
    data = _camt([Credit("P1", letter.total, PAY_DAY, kid=letter.kid)])
    payments.import_payments(uow, data, filename="p.xml")
    again = payments.import_payments(uow, data, filename="p-copy.xml")
    assert again.already_imported
    assert len(_stored(uow)) == 1
    day = _run(uow, PAY_DAY)
    assert day.payments_applied == 1
    assert day.settled == Money.of("838.84")  # not 2 × 838.84


def test_the_letter_total_received_on_the_deadline_settles_the_letter_when_the_next_days_run_applies_it_r_clm_12(
    uow: UnitOfWork,
) -> None:
    """R-CLM-12: the total 838.84 reached the client account on the deadline, 11 April (the bank's file for that
    day is read the next morning); the claim must close paid with interest after 28 March waived."""
    letter = _letter(uow, "20001")
    data = build_camt054(
        SERVICE.account,
        [Credit("D1", letter.total, DEADLINE, kid=letter.kid)],
        message_id="MSG-DEADLINE",
        created=datetime.combine(DEADLINE, time(23), tzinfo=UTC),
    )
    payments.import_payments(uow, data, filename="deadline.xml")
    _run(uow, date(2025, 4, 12))  # the run after the file arrived
    claim = _claim(uow, "2001")
    assert (claim.stage, claim.closed_reason) == (Stage.CLOSED, ClosedReason.PAID)
    assert (claim.principal_outstanding, claim.interest_paid) == (Money.of("0.00"), Money.of("3.84"))


# -- manual matching ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "invoice_number", "amount", "stage", "principal_left"),
    [
        # 100.00 on letter 10001/1 covers 1001 first: fee 35.00, interest 1000 × 0.125 × 18 / 365 = 6.16, then
        # 58.84 of the principal: 1000.00 − 58.84 = 941.16 left
        ("kid", "1001", "100.00", Stage.NOTICE, "941.16"),
        # 838.84 by the deadline on letter 20001/1 (found by company and invoice) settles it (R-CLM-12)
        ("invoice", "2001", "838.84", Stage.CLOSED, "0.00"),
    ],
)
def test_assign_moves_an_unmatched_payment_to_a_letter_and_the_next_run_applies_it_r_clm_7(
    uow: UnitOfWork, how: str, invoice_number: str, amount: str, stage: Stage, principal_left: str
) -> None:
    unknown = make_kid("777", KidScheme.MOD10, 12)  # a valid KID no letter has
    report = payments.import_payments(
        uow, _camt([Credit("U1", Money.of(amount), PAY_DAY, kid=unknown)]), filename="u.xml"
    )
    assert [o.reason for o in report.outcomes] == [f"no letter with KID {unknown}"]
    (queued,) = payments.unmatched(uow)
    assert queued.id is not None
    debtor = "10001" if invoice_number.startswith("1") else "20001"
    letter = _letter(uow, debtor)
    if how == "kid":
        payments.assign(uow, queued.id, kid=letter.kid)
    else:
        payments.assign(uow, queued.id, orgno=ORGNO, invoice=invoice_number)
    assert payments.unmatched(uow) == []
    ((_, _, _, _, status, reason, letter_id),) = _stored(uow)
    assert (status, letter_id) == ("pending", letter.id)
    assert reason == f"assigned by hand (was: no letter with KID {unknown})"

    day = _run(uow, PAY_DAY)
    assert day.payments_applied == 1
    claim = _claim(uow, invoice_number)
    assert (claim.stage, claim.principal_outstanding) == (stage, Money.of(principal_left))
    assert day.settled == Money.of(amount)


def test_assign_refuses_an_unknown_payment_and_a_letter_that_does_not_exist(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound, match="no unmatched payment 999"):
        payments.assign(uow, 999, kid="000000000018")
    payments.import_payments(uow, _camt([Credit("U1", Money.of("10.00"), PAY_DAY, kid="0000531")]), filename="u.xml")
    (queued,) = payments.unmatched(uow)
    assert queued.id is not None
    with pytest.raises(NotFound, match="no letter with KID 0000000000059"):
        payments.assign(uow, queued.id, kid="0000000000059")
    assert [p.status for p in payments.unmatched(uow)] == ["unmatched"]


# -- refused files ------------------------------------------------------------------------------------------------


def _wrong_entry_sum(data: bytes) -> bytes:
    """The second entry's transaction says 100.01 where the entry says 100.00."""
    root = etree.fromstring(data)
    amounts = root.findall(".//c:Ntry", NS)[1].findall("c:NtryDtls/c:TxDtls/c:AmtDtls/c:TxAmt/c:Amt", NS)
    amounts[0].text = "100.01"
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _wrong_declared_sum(data: bytes) -> bytes:
    """The notification declares 938.85 where its entries sum to 838.84 + 100.00 = 938.84."""
    root = etree.fromstring(data)
    declared = root.find(".//c:TxsSummry/c:TtlNtries/c:Sum", NS)
    assert declared is not None
    assert declared.text == "938.84"
    declared.text = "938.85"
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_wrong_entry_sum, "transactions sum to 100.01; the entry's Amt is 100.00"),
        (_wrong_declared_sum, "declares a sum of 938.85"),
    ],
    ids=["entry-sum", "declared-sum"],
)
def test_a_camt054_file_whose_sums_do_not_add_up_is_refused_whole_r_bank_2(
    uow: UnitOfWork, damage: Any, message: str
) -> None:
    """R-BANK-2: the first entry is a good payment of a letter; it is not stored either."""
    letter = _letter(uow, "20001")
    good = _camt([Credit("G1", letter.total, PAY_DAY, kid=letter.kid), Credit("G2", Money.of("100.00"), PAY_DAY)])
    with pytest.raises(FileFormatError, match=re.escape(message)):
        payments.import_payments(uow, damage(good), filename="damaged.xml")
    assert _stored(uow) == []
    assert _run(uow, PAY_DAY).payments_applied == 0
    assert _claim(uow, "2001").stage is Stage.NOTICE


def test_a_truncated_ocr_file_is_refused_whole_r_bank_2(uow: UnitOfWork) -> None:
    lines = OCR.read_bytes().splitlines(keepends=True)
    with pytest.raises(FileFormatError):
        payments.import_payments(uow, b"".join(lines[:-1]), filename="cut.txt")
    assert _stored(uow) == []
    # the whole file afterwards is new, not "already imported"
    assert not payments.import_payments(uow, OCR.read_bytes(), filename=OCR.name).already_imported


def test_the_inbox_imports_each_file_and_moves_a_refused_one_aside_with_the_reason_r_bank_2(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-ocr.txt").write_bytes(OCR.read_bytes())
    (inbox / "b-avtalegiro.txt").write_bytes(AVTALEGIRO.read_bytes())
    (inbox / ".partial").write_bytes(b"still being written")
    results = payments.import_inbox(uow, inbox)
    assert [(r.path.name, r.report is not None, r.error is None) for r in results] == [
        ("a-ocr.txt", True, True),
        ("b-avtalegiro.txt", False, False),
    ]
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["a-ocr.txt"]
    assert sorted(p.name for p in (inbox / "refused").iterdir()) == ["b-avtalegiro.txt", "b-avtalegiro.txt.error"]
    assert "not a payment file" in (inbox / "refused" / "b-avtalegiro.txt.error").read_text("utf-8")
    assert (inbox / ".partial").exists()  # not ours to touch yet
    assert len(_stored(uow)) == 20  # the OCR file's payments, nothing of the refused one
