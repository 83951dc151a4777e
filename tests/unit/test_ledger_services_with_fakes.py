"""The ledger's use cases and the messages between the two sides, on the fakes of the ports (R-VAL-2, R-VAL-3,
R-LED-3, R-LED-6, R-LED-7, R-CLM-7).

One creditor whose agreement sends the notice as the first letter, interest at 12.50 % in 2025 H1. Debtor 10001
owes 1001 (1000.00) and 1002 (500.00), debtor 20001 owes 2001 (800.00), all issued 1 March and due 14 March
2025; debtor 30001 has no address and owes 3001 (300.00), due 20 March. On Friday 28 March the first three may be
submitted (14 days after their due date), 3001 may not. The notice of 28 March charges 1001 the fee 35.00 and
interest 1000 × 0.125 × 14 / 365 = 4.79, 1002 interest 2.40, 2001 the fee 35.00 and interest 3.84 (letter
20001/1 totals 838.84). On 1 April 1001 owes interest 1000 × 0.125 × 18 / 365 = 6.16.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.events import EventKind
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.ledger.vouchers import PostedVoucher
from krav.domain.messages import DirectPaymentReported, ItemSubmitted, MessageKind
from krav.domain.money import Money
from krav.domain.party import Customer
from krav.services import ledger
from krav.services.collection import ServiceFigures
from krav.services.daily_run import DayReport, run_creditor_day
from krav.services.ledger import submission
from krav.services.ports import ClientPayment, Collaborators
from tests.builders import ORGNO, SERVICE, consumer, invoice, make_company, post
from tests.fakes import FakeMailer, FakeRenderer, FakeUnitOfWork, relayed_unit_of_work

RATES = load_rate_tables()
FIGURES = ServiceFigures(RATES)
NOTICE_DAY = date(2025, 3, 28)
PAY_DAY = date(2025, 4, 1)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = relayed_unit_of_work(RATES)
    make_company(unit)
    ledger.save_customers(
        unit, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann"), Customer("30001", "Per Uten Adresse")]
    )
    issued, due = date(2025, 3, 1), date(2025, 3, 14)
    post(
        unit,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
        invoice("3001", "30001", "300.00", issued, date(2025, 3, 20)),
    )
    with unit:
        unit.agreements.save(
            1, Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no")
        )
        unit.commit()
    return unit


def _run(uow: FakeUnitOfWork, day: date) -> DayReport:
    """One creditor's business day, its steps without the delivery (which alone writes files)."""
    collab = Collaborators(RATES, SERVICE, FakeRenderer(), FakeMailer(), Path("print"), Path("remittance"))
    return run_creditor_day(uow, ORGNO, day, collab)


def _items(uow: FakeUnitOfWork) -> dict[str, OpenItem]:
    with uow:
        return {i.number: i for i in uow.ledger.items(1) if i.is_debit}


def _item_ids(uow: FakeUnitOfWork, *numbers: str) -> list[int]:
    items = _items(uow)
    return [items[n].id for n in numbers]


def _claims(uow: FakeUnitOfWork) -> dict[str, Claim]:
    with uow:
        return {c.invoice_number: c for c in uow.collection.claims(1)}


def _vouchers(uow: FakeUnitOfWork, voucher_type: int) -> list[PostedVoucher]:
    with uow:
        return [v for v in uow.ledger.vouchers(1) if v.voucher_type == voucher_type]


def _lines(voucher: PostedVoucher) -> list[tuple[str, Money, str | None]]:
    return [(line.account, line.amount, line.customer) for line in voucher.lines]


def _balanced(uow: FakeUnitOfWork) -> None:
    """R-LED-1, R-LED-3: the trial balance totals 0.00 and the sub-ledger equals receivables per customer."""
    balance = ledger.balance(uow, ORGNO)
    assert balance.total == {"NOK": Money.of("0.00")}
    assert balance.subledger_mismatches == {}


# -- submission ---------------------------------------------------------------------------------------------------


def test_submitting_valid_items_makes_their_claims_at_commit_each_with_its_submitted_event_r_val_2(
    uow: FakeUnitOfWork,
) -> None:
    results = submission.submit(uow, ORGNO, _item_ids(uow, "1001", "2001"), today=NOTICE_DAY)
    assert [(r.invoice, r.submitted, r.collection_id) for r in results] == [
        ("1001", True, "K1-000001"),
        ("2001", True, "K1-000002"),
    ]
    claims = _claims(uow)
    assert {n: (c.collection_id, c.principal, c.stage, c.debtor.name) for n, c in claims.items()} == {
        "1001": ("K1-000001", Money.of("1000.00"), Stage.NEW, "Ola Nordmann"),
        "2001": ("K1-000002", Money.of("800.00"), Stage.NEW, "Kari Nordmann"),
    }
    with uow:
        histories = {n: uow.collection.history(1, c.id or 0) for n, c in claims.items()}
        # the relay delivered every message the commit wrote: none waits
        assert uow.outbox.pending([MessageKind.ITEM_SUBMITTED]) == []
    assert {n: [(e.kind, e.by, e.amount) for e in h] for n, h in histories.items()} == {
        "1001": [(EventKind.SUBMITTED, "ledger", Money.of("1000.00"))],
        "2001": [(EventKind.SUBMITTED, "ledger", Money.of("800.00"))],
    }
    assert {n: i.collection_id for n, i in _items(uow).items()} == {
        "1001": "K1-000001",
        "1002": None,
        "2001": "K1-000002",
        "3001": None,
    }


def test_an_invalid_item_is_refused_with_its_reasons_and_nothing_of_it_is_stored_r_val_2(uow: FakeUnitOfWork) -> None:
    results = submission.submit(uow, ORGNO, _item_ids(uow, "3001", "1002"), today=NOTICE_DAY)
    refused, sent = results
    assert (refused.invoice, refused.submitted, refused.collection_id) == ("3001", False, None)
    assert [r.code for r in refused.reasons] == ["days_not_passed", "customer_address_missing"]
    assert (sent.invoice, sent.submitted) == ("1002", True)
    assert list(_claims(uow)) == ["1002"]
    assert _items(uow)["3001"].collection_id is None
    messages = [m.message for m in uow.committed.messages.values()]
    assert [m.invoice_number for m in messages if isinstance(m, ItemSubmitted)] == ["1002"]


def test_submitting_the_same_item_twice_makes_one_claim_r_val_3(uow: FakeUnitOfWork) -> None:
    (first,) = submission.submit(uow, ORGNO, _item_ids(uow, "1001"), today=NOTICE_DAY)
    (second,) = submission.submit(uow, ORGNO, _item_ids(uow, "1001"), today=NOTICE_DAY)
    assert (first.submitted, second.submitted) == (True, False)
    assert [r.code for r in second.reasons] == ["item_already_submitted"]
    assert [(c.invoice_number, c.collection_id) for c in _claims(uow).values()] == [("1001", "K1-000001")]
    with uow:
        (claim,) = uow.collection.claims(1)
        assert [e.kind for e in uow.collection.history(1, claim.id or 0)] == [EventKind.SUBMITTED]


# -- the two sides in step ---------------------------------------------------------------------------------------


def test_the_ledger_keeps_each_items_outstanding_fee_and_interest_in_step_with_the_service_r_led_3(
    uow: FakeUnitOfWork,
) -> None:
    _run(uow, NOTICE_DAY)
    items = _items(uow)
    assert {n: (i.fee_outstanding, i.interest_outstanding) for n, i in items.items() if i.collection_id} == {
        "1001": (Money.of("35.00"), Money.of("4.79")),
        "1002": (Money.of("0.00"), Money.of("2.40")),
        "2001": (Money.of("35.00"), Money.of("3.84")),
    }
    claims = _claims(uow)
    assert {n: c.fees_outstanding for n, c in claims.items()} == {
        n: i.fee_outstanding for n, i in items.items() if i.collection_id
    }
    with uow:
        assert uow.outbox.pending([MessageKind.CLAIM_CHANGED]) == []


def test_a_direct_payment_above_the_principal_is_split_with_the_services_figures_of_the_day_and_reported_whole_r_led_6(
    uow: FakeUnitOfWork,
) -> None:
    """The item shows the notice day's interest 4.79; the ledger asks the service for the day of payment's 6.16,
    so 1100.00 is 1000.00 + 35.00 + 6.16 + 58.84 overpaid."""
    _run(uow, NOTICE_DAY)
    result = ledger.pay_invoice(uow, FIGURES, ORGNO, "1001", Money.of("1100.00"), on=PAY_DAY)
    (voucher,) = result.vouchers
    assert _lines(voucher) == [
        ("1920", Money.of("1100.00"), None),
        ("1500", Money.of("-1000.00"), "10001"),
        ("3900", Money.of("-35.00"), None),
        ("8040", Money.of("-6.16"), None),
        ("1500", Money.of("-58.84"), "10001"),
    ]
    whole = DirectPaymentReported(ORGNO, "K1-000001", Money.of("1100.00"), PAY_DAY, voucher.number)
    assert result.reports == (whole,)
    assert ledger.reported_messages(uow, ORGNO) == [whole]
    assert _items(uow)["1001"].status is SettledStatus.SETTLED
    _balanced(uow)


def test_the_next_runs_money_in_step_applies_the_direct_payment_and_both_sides_agree_on_the_overpayment_r_clm_7(
    uow: FakeUnitOfWork,
) -> None:
    _run(uow, NOTICE_DAY)
    ledger.pay_invoice(uow, FIGURES, ORGNO, "1001", Money.of("1100.00"), on=PAY_DAY)
    day = _run(uow, PAY_DAY)
    assert day.payments_applied == 1
    claim = _claims(uow)["1001"]
    assert (claim.stage, claim.closed_reason, claim.principal_outstanding, claim.overpaid) == (
        Stage.CLOSED,
        ClosedReason.PAID,
        Money.of("0.00"),
        Money.of("58.84"),
    )
    credits = [i.remaining for i in ledger.open_items(uow, ORGNO, customer="10001") if not i.is_debit]
    assert credits == [Money.of("-58.84")]
    assert day.settled == Money.of("0.00")  # a direct payment is the creditor's money already
    with uow:
        assert uow.outbox.pending_reports(1, PAY_DAY) == []


def test_a_remittance_reaches_the_ledger_as_a_settlement_voucher_against_the_intermediary_account_r_led_7(
    uow: FakeUnitOfWork,
) -> None:
    """900.00 paid on letter 20001/1 (total 838.84) by its KID: principal 800.00 against the invoice, fee 35.00 and
    the letter's interest 3.84 to their income accounts, and 61.16 overpaid as a credit item."""
    _run(uow, NOTICE_DAY)
    with uow:
        (letter,) = uow.collection.letters(1, debtor="20001")
        uow.collection.add_payment(
            ClientPayment(PAY_DAY, Money.of("900.00"), "B-1", "test", kid=letter.kid, company_id=1, letter_id=letter.id)
        )
        uow.commit()
    day = _run(uow, PAY_DAY)
    assert day.settled == Money.of("900.00")
    (voucher,) = _vouchers(uow, vt.COLLECTION_SETTLEMENT)
    assert (voucher.date, _lines(voucher)) == (
        PAY_DAY,
        [
            ("1921", Money.of("900.00"), None),
            ("1500", Money.of("-800.00"), "20001"),
            ("3900", Money.of("-35.00"), None),
            ("8040", Money.of("-3.84"), None),
            ("1500", Money.of("-61.16"), "20001"),
        ],
    )
    assert _items(uow)["2001"].status is SettledStatus.SETTLED
    credits = [i.remaining for i in ledger.open_items(uow, ORGNO, customer="20001") if not i.is_debit]
    assert credits == [Money.of("-61.16")]
    with uow:
        assert uow.outbox.pending([MessageKind.SETTLEMENT]) == []
        (settlement,) = uow.collection.settlements(1)
    assert (settlement.reference, settlement.total) == ("OPG-001-20250401", Money.of("900.00"))
    _balanced(uow)


def test_a_claim_keeps_the_debtor_as_the_ledger_knew_them_when_the_item_was_submitted_r_val_2(
    uow: FakeUnitOfWork,
) -> None:
    submission.submit(uow, ORGNO, _item_ids(uow, "1001"), today=NOTICE_DAY)
    ledger.save_customers(uow, ORGNO, [consumer("10001", "Ola Flyttet")])
    with uow:
        assert uow.ledger.customers(1, ["10001"])["10001"].name == "Ola Flyttet"
        claim = uow.collection.claim(1, "K1-000001")
    assert claim is not None
    assert claim.debtor.name == "Ola Nordmann"
