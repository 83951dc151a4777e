"""A payment is the bank's transaction, not the file's bytes: the same payment in another file is recorded as a
duplicate and never applied or remitted again, on SQLite and PostgreSQL (R-BANK-2, R-BANK-3).

The set-up is that of ``test_payment_import``: debtor 10001 owes 1001 (1000.00) and 1002 (500.00), debtor 20001
owes 2001 (800.00), all due 14 March 2025; the run of Friday 28 March sends each a notice: letter 10001/1 totals
1542.19 (1000.00 + 35.00 fee + 4.79 interest + 500.00 + 2.40 interest) and letter 20001/1 totals 838.84
(800.00 + 35.00 + 3.84). Payments are booked on Tuesday 1 April 2025 and applied by the run of that day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.engine import Engine

from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.claims import ClosedReason, Stage
from krav.domain.money import Money
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger
from krav.services.collection import payments
from krav.services.daily_run import DayReport, run_creditor_day
from krav.services.ports import ClaimFilter, ClientPayment, PaymentStatus, StoredLetter, UnitOfWork
from tests import camt_variants as variants
from tests.builders import ORGNO, SERVICE, collaborators, consumer, invoice, make_company, post
from tests.conftest import FIXTURES

OCR = FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt"
OCR_TOTAL = Money.of("51449.00")  # its own trailer says 5144900 øre
NOTICE_DAY = date(2025, 3, 28)
PAY_DAY = date(2025, 4, 1)


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


def _run(uow: UnitOfWork, day: date) -> DayReport:
    return run_creditor_day(uow, ORGNO, day, collaborators())


def _letter(uow: UnitOfWork, debtor: str) -> StoredLetter:
    with uow:
        return next(lt for lt in uow.collection.letters(1, debtor=debtor) if lt.n == 1)


def _camt(credits: Sequence[Credit], message_id: str = "MSG-1") -> bytes:
    return build_camt054(
        SERVICE.account, credits, message_id=message_id, created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC)
    )


def _on_account(uow: UnitOfWork) -> list[ClientPayment]:
    with uow:
        return uow.collection.payments()


def _duplicates(uow: UnitOfWork) -> list[ClientPayment]:
    with uow:
        return uow.collection.payments(status=PaymentStatus.DUPLICATE)


def _remitted(uow: UnitOfWork) -> Money:
    with uow:
        return Money.sum(s.total for s in uow.collection.settlements(1))


def _adds_up(report: payments.PaymentImportReport) -> None:
    """R-BANK-2: matched + unmatched + duplicates is the file's total to the øre, and every payment is one."""
    assert report.matched_total + report.unmatched_total + report.duplicates_total == report.total
    assert len(report.matched) + len(report.unmatched) + len(report.duplicates) == len(report.outcomes)


def _paid(uow: UnitOfWork) -> tuple[StoredLetter, StoredLetter, bytes]:
    """The two letters, and a file paying each its total: 838.84 (P1) and 1542.19 (P2)."""
    kari, ola = _letter(uow, "20001"), _letter(uow, "10001")
    assert (kari.total, ola.total) == (Money.of("838.84"), Money.of("1542.19"))
    data = _camt(
        [
            Credit("P1", kari.total, PAY_DAY, kid=kari.kid, payer_name="Kari Nordmann"),
            Credit("P2", ola.total, PAY_DAY, kid=ola.kid, payer_name="Ola Nordmann"),
        ]
    )
    return kari, ola, data


# -- OCR giro ---------------------------------------------------------------------------------------------------------


def test_the_same_ocr_transmission_saved_with_crlf_line_endings_adds_no_payment_r_bank_2(uow: UnitOfWork) -> None:
    """The fixture's 20 payments wait in the manual queue; the CRLF copy is another file of the same 20."""
    first = payments.import_payments(uow, OCR.read_bytes(), filename=OCR.name)
    before = _on_account(uow)
    copy = payments.import_payments(uow, variants.with_crlf(OCR.read_bytes()), filename="ocr-crlf.txt")
    assert (first.already_imported, copy.already_imported) == (False, False)
    assert (len(copy.matched), len(copy.unmatched), len(copy.duplicates)) == (0, 0, 20)
    assert copy.duplicates_total == OCR_TOTAL
    _adds_up(copy)
    assert _on_account(uow) == before
    assert len(payments.unmatched(uow)) == 20
    sightings = _duplicates(uow)
    assert len(sightings) == 20
    first_payment = before[0]
    assert sightings[0].reason == (
        f"already received as payment {first_payment.id} ({first_payment.reference} in {OCR.name}, "
        f"{first_payment.received_on:%d.%m.%Y}); not applied again"
    )
    assert _run(uow, PAY_DAY).payments_applied == 0


# -- camt.054 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda data: variants.reindented(data, "\t"),
        lambda data: variants.with_crlf(variants.reindented(data, None)),
        lambda data: variants.regrouped(data, [[1], [0]], message_id="MSG-1-AGAIN"),
    ],
    ids=["re-indented", "one-line-crlf", "split-into-two-notifications"],
)
def test_a_camt054_file_written_again_is_applied_and_remitted_once_r_bank_2(
    uow: UnitOfWork, rewrite: Callable[[bytes], bytes]
) -> None:
    """The letter totals close both claims paid, once: 838.84 + 1542.19 = 2381.03 remitted, not twice that."""
    kari, ola, data = _paid(uow)
    first = payments.import_payments(uow, data, filename="p.xml")
    again = payments.import_payments(uow, rewrite(data), filename="p-again.xml")
    assert [o.matched for o in first.outcomes] == [True, True]
    assert (again.already_imported, len(again.matched), len(again.unmatched), len(again.duplicates)) == (
        False,
        0,
        0,
        2,
    )
    _adds_up(again)
    assert len(_on_account(uow)) == 2
    assert sorted(o.reason or "" for o in again.duplicates) == [
        "already received as payment 1 (P1/1 in p.xml, 01.04.2025); not applied again",
        "already received as payment 2 (P2/1 in p.xml, 01.04.2025); not applied again",
    ]

    day = _run(uow, PAY_DAY)
    assert (day.payments_applied, day.settled) == (2, Money.of("2381.03"))
    assert _remitted(uow) == Money.of("2381.03")
    with uow:
        claims = uow.collection.claims(1, ClaimFilter(invoice_numbers=["1001", "1002", "2001"]))
    assert {(c.stage, c.closed_reason, c.overpaid) for c in claims} == {
        (Stage.CLOSED, ClosedReason.PAID, Money.of("0.00"))
    }
    assert ledger.balance(uow, ORGNO).balanced
    assert {p.letter_id for p in _on_account(uow)} == {kari.id, ola.id}


def test_a_second_notification_repeating_an_entry_brings_only_the_new_payment_r_bank_2(uow: UnitOfWork) -> None:
    """The next file repeats P1 (838.84) and brings P3, 100.00 on letter 10001/1: only P3 is new."""
    kari, ola, _ = _paid(uow)
    payments.import_payments(uow, _camt([Credit("P1", kari.total, PAY_DAY, kid=kari.kid)]), filename="a.xml")
    b = _camt(
        [Credit("P1", kari.total, PAY_DAY, kid=kari.kid), Credit("P3", Money.of("100.00"), PAY_DAY, kid=ola.kid)],
        message_id="MSG-2",
    )
    report = payments.import_payments(uow, b, filename="b.xml")
    assert [(o.reference, o.matched, o.duplicate) for o in report.outcomes] == [
        ("P1/1", False, True),
        ("P3/1", True, False),
    ]
    _adds_up(report)
    assert (report.matched_total, report.duplicates_total) == (Money.of("100.00"), Money.of("838.84"))
    # the same file again is imported before: nothing changes, and no second sighting is recorded
    again = payments.import_payments(uow, b, filename="b-copy.xml")
    assert again.already_imported
    assert [o.duplicate for o in again.outcomes] == [True, False]
    assert (len(_on_account(uow)), len(_duplicates(uow))) == (2, 1)

    day = _run(uow, PAY_DAY)
    assert (day.payments_applied, day.settled) == (2, Money.of("938.84"))
    assert _remitted(uow) == Money.of("938.84")


def test_one_payment_reported_twice_within_a_file_is_applied_once_r_bank_2(uow: UnitOfWork) -> None:
    kari = _letter(uow, "20001")
    once = _camt([Credit("P1", kari.total, PAY_DAY, kid=kari.kid)])
    twice = variants.regrouped(once, [[0], [0]])
    report = payments.import_payments(uow, twice, filename="twice.xml")
    assert report.total == Money.of("1677.68")
    assert (len(report.matched), len(report.duplicates)) == (1, 1)
    _adds_up(report)
    assert report.duplicates[0].reason == (
        "already received as payment 1 (P1/1 in twice.xml, 01.04.2025); not applied again"
    )
    day = _run(uow, PAY_DAY)
    assert (day.payments_applied, day.settled) == (1, Money.of("838.84"))
