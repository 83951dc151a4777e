"""Corrections outside a voucher and letters taken back, on the fakes of the ports: an item's due date, a
customer's purrefritak (R-VAL-1 ``customer_exempt``), each kept with who, when and old → new; and a notice whose
delivery is still pending, cancelled with its claim back where it was (R-SVC-2).

Debtor 10001 owes invoice 1001 (1000.00), issued 1 March and due 14 March 2025; the agreement is active and sends
the notice as the first letter, which the run of Friday 28 March writes (fee 35.00).
"""

from __future__ import annotations

from datetime import date

import pytest

from krav.domain.agreement import Agreement
from krav.domain.collection.cancel import LetterNotCancellable
from krav.domain.collection.claims import Stage
from krav.domain.errors import NotFound
from krav.domain.money import Money
from krav.services import ledger
from krav.services.collection.delivery.cancel import cancel
from krav.services.ledger import submission
from krav.services.ports import ClaimFilter, DeliveryStatus, LedgerChange
from tests.builders import ORGNO, RATES, consumer, invoice, make_company, post, run_day
from tests.fakes import FakeUnitOfWork, relayed_unit_of_work

NOTICE_DAY = date(2025, 3, 28)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = relayed_unit_of_work(RATES)
    make_company(unit)
    ledger.save_customers(unit, ORGNO, [consumer("10001")])
    post(unit, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))
    with unit:
        unit.agreements.save(1, Agreement(active=True, activated_on=date(2025, 3, 1), accepted_by="test"))
        unit.commit()
    return unit


def test_an_open_items_due_date_is_changed_and_the_change_kept(uow: FakeUnitOfWork) -> None:
    change = ledger.set_due_date(uow, ORGNO, "1001", date(2025, 3, 20), on=date(2025, 3, 21), by="kari")
    assert (change.old, change.new, change.changed) == (date(2025, 3, 14), date(2025, 3, 20), True)
    [item] = ledger.open_items(uow, ORGNO)
    assert item.due_date == date(2025, 3, 20)
    assert ledger.changes(uow, ORGNO) == [
        LedgerChange("item", "1001", "due_date", "2025-03-14", "2025-03-20", date(2025, 3, 21), "kari")
    ]
    [row] = submission.proposal(uow, ORGNO, today=NOTICE_DAY)
    assert (row.sendable_from, [r.code for r in row.reasons]) == (date(2025, 4, 3), ["days_not_passed"])


def test_the_same_due_date_again_keeps_no_change(uow: FakeUnitOfWork) -> None:
    change = ledger.set_due_date(uow, ORGNO, "1001", date(2025, 3, 14), on=NOTICE_DAY, by="kari")
    assert not change.changed
    assert ledger.changes(uow, ORGNO) == []


def test_a_due_date_is_refused_for_an_unknown_invoice_and_one_sent_to_collection(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound, match="no invoice 9999"):
        ledger.set_due_date(uow, ORGNO, "9999", NOTICE_DAY, on=NOTICE_DAY, by="kari")
    [item] = ledger.open_items(uow, ORGNO)
    submission.submit(uow, ORGNO, [item.id], today=NOTICE_DAY)
    with pytest.raises(ledger.ItemChangeRefused, match="sent to collection"):
        ledger.set_due_date(uow, ORGNO, "1001", date(2025, 3, 20), on=NOTICE_DAY, by="kari")
    assert ledger.changes(uow, ORGNO) == []


def test_a_customers_purrefritak_is_set_and_cleared_and_each_change_kept(uow: FakeUnitOfWork) -> None:
    change = ledger.set_customer_exempt(uow, ORGNO, "10001", True, on=NOTICE_DAY, by="kari")
    assert (change.old, change.new) == (False, True)
    [row] = submission.proposal(uow, ORGNO, today=NOTICE_DAY)
    assert [r.code for r in row.reasons] == ["customer_exempt"]
    ledger.set_customer_exempt(uow, ORGNO, "10001", False, on=NOTICE_DAY, by="kari")
    assert submission.proposal(uow, ORGNO, today=NOTICE_DAY)[0].valid
    assert [(c.subject, c.old, c.new) for c in ledger.changes(uow, ORGNO)] == [
        ("customer", "false", "true"),
        ("customer", "true", "false"),
    ]
    with pytest.raises(NotFound, match="no customer 99999"):
        ledger.set_customer_exempt(uow, ORGNO, "99999", True, on=NOTICE_DAY, by="kari")


def test_a_notice_still_pending_is_cancelled_and_its_claim_is_back_without_its_fee(uow: FakeUnitOfWork) -> None:
    run_day(uow, ORGNO, NOTICE_DAY)  # submits 1001 and writes its notice; the delivery waits in the outbox
    with uow:
        [letter] = uow.collection.letters(1)
        [delivery] = uow.deliveries.deliveries(company_id=1)
    assert delivery.status is DeliveryStatus.PENDING

    done = cancel(uow, ORGNO, letter.id, on=NOTICE_DAY, by="kari", rates=RATES)

    assert (done.claims, done.waived) == ({"1001": "new"}, Money.of("35.00"))
    with uow:
        [claim] = uow.collection.claims(1, ClaimFilter())
        found = uow.deliveries.find(delivery_id=delivery.id)
    assert found is not None
    assert found.status is DeliveryStatus.CANCELLED
    assert (claim.stage, claim.fees_outstanding) == (Stage.NEW, Money.zero())
    [item] = ledger.open_items(uow, ORGNO)
    assert item.fee_outstanding == Money.zero()  # the ledger heard the claim's new figures
    with pytest.raises(LetterNotCancellable, match="cancelled already"):
        cancel(uow, ORGNO, letter.id, on=NOTICE_DAY, by="kari", rates=RATES)


def test_a_letter_sent_is_not_cancelled(uow: FakeUnitOfWork) -> None:
    run_day(uow, ORGNO, NOTICE_DAY)
    with uow:
        [letter] = uow.collection.letters(1)
        [delivery] = uow.deliveries.deliveries(company_id=1)
        uow.deliveries.set_status(delivery.id, DeliveryStatus.SENT, sent_on=NOTICE_DAY)
        uow.commit()
    with pytest.raises(LetterNotCancellable, match=r"was sent on 28\.03\.2025"):
        cancel(uow, ORGNO, letter.id, on=NOTICE_DAY, by="kari", rates=RATES)
    with uow:
        [claim] = uow.collection.claims(1, ClaimFilter())
    assert claim.stage is Stage.NOTICE
