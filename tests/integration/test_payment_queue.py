"""The manual-matching queue with what the payer wrote and the claims each payment most likely pays, on SQLite and
PostgreSQL (R-CLM-7, R-BANK-1, R-BANK-2).

The set-up (one creditor, no reminder before the notice, interest charged at 12.50 % in 2025 H1): debtor 10001
(Ola Nordmann) owes 1001 (1000.00) and 1002 (500.00), debtor 20001 (Kari Nordmann) owes 2001 (800.00), all due
14 March 2025. The run of Friday 28 March sends each a notice: Ola's 1542.19, Kari's 800.00 + 35.00 fee + 3.84
interest = 838.84. On Tuesday 1 April, 18 interest days after the due date, Kari's claim owes 800.00 + 35.00 +
800 × 0.125 × 18 / 365 = 4.93 interest = 839.93.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.adapters.db.codec import decode_message
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.events import EventKind
from krav.domain.collection.letters import LetterType
from krav.domain.collection.steps import Day, StepResult
from krav.domain.kid import is_valid_kid
from krav.domain.messages import ClaimChanged
from krav.domain.money import Money
from krav.domain.personal_data import erased
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services import ledger, queries
from krav.services.collection import payments
from krav.services.collection.day import save_changes
from krav.services.collection.delivery.cancel import cancel
from krav.services.personal_data_export import read_export
from krav.services.ports import ClaimFilter, ItemFilter, PaymentStatus, StoredLetter, UnitOfWork
from tests.builders import ORGNO, RATES, SERVICE, consumer, invoice, make_company, post, run_day

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
        unit.agreements.save(
            1, Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@ex.no")
        )
        unit.commit()
    run_day(unit, ORGNO, NOTICE_DAY, rates=RATES, service=SERVICE)
    return unit


def _notice(uow: UnitOfWork, debtor: str) -> StoredLetter:
    with uow:
        (letter,) = uow.collection.letters(1, debtor=debtor)
    assert letter.kid is not None
    return letter


def _camt(credits: Sequence[Credit]) -> bytes:
    return build_camt054(
        SERVICE.account, credits, message_id="MSG-1", created=datetime.combine(PAY_DAY, time(6), tzinfo=UTC)
    )


def _one_digit_off(kid: str) -> str:
    """``kid`` with its sixth digit wrong: neither MOD10 nor MOD11 accepts it."""
    wrong = kid[:5] + str((int(kid[5]) + 1) % 10) + kid[6:]
    assert not is_valid_kid(wrong)
    return wrong


def test_a_payment_with_a_wrong_kid_keeps_its_message_and_suggests_the_claim_it_names_r_clm_7(uow: UnitOfWork) -> None:
    kari = _notice(uow, "20001")
    assert kari.kid is not None
    wrong = _one_digit_off(kari.kid)
    credit = Credit("W1", kari.total, PAY_DAY, kid=wrong, text="Faktura 2001", payer_name="Kari Nordmann")
    payments.import_payments(uow, _camt([credit]), filename="camt-0104.xml")

    (queued,) = queries.manual_matching(uow, rates=RATES)
    p = queued.payment
    assert (p.message, p.filename, p.payer, p.kid) == ("Faktura 2001", "camt-0104.xml", "Kari Nordmann", wrong)
    (only,) = queued.suggestions  # Ola's claims share nothing with it
    assert (only.creditor, only.invoice_number, only.debtor_name, only.kid) == (
        ORGNO,
        "2001",
        "Kari Nordmann",
        kari.kid,
    )
    assert only.balance == Money.of("839.93")
    assert only.reasons == (
        "KID ett siffer feil",
        "meldingen nevner faktura 2001",
        "beløpet er lik brevets sum",
        "navnet ligner skyldneren",
    )


def test_a_payment_of_the_balance_on_the_day_it_was_made_is_suggested_for_that_claim_r_clm_6(uow: UnitOfWork) -> None:
    """Paid on 1 April without KID or message: 839.93 is Kari's balance that day, interest to the day included."""
    payments.import_payments(uow, _camt([Credit("B1", Money.of("839.93"), PAY_DAY)]), filename="camt.xml")
    (queued,) = queries.manual_matching(uow, rates=RATES)
    assert [(s.invoice_number, s.reasons) for s in queued.suggestions] == [("2001", ("beløpet er lik saldo",))]


def test_the_kid_of_a_cancelled_letter_is_not_suggested_as_the_debtor_never_got_it(uow: UnitOfWork) -> None:
    kari = _notice(uow, "20001")
    assert kari.kid is not None
    cancel(uow, ORGNO, kari.id, on=NOTICE_DAY, by="test", rates=RATES)
    payments.import_payments(
        uow, _camt([Credit("W1", kari.total, PAY_DAY, kid=_one_digit_off(kari.kid))]), filename="c.xml"
    )
    (queued,) = queries.manual_matching(uow, rates=RATES)
    assert queued.suggestions == ()


def test_the_payers_message_is_kept_on_one_line_and_cut_to_its_column_not_refused_r_bank_2(uow: UnitOfWork) -> None:
    """Four ``Ustrd`` of 140 characters, one with a line break: 563 characters with the spaces between them. The
    file is imported; the message is kept on one line, 500 characters, the last one "…" (PostgreSQL would refuse
    more than its column holds)."""
    data = _camt([Credit("L1", Money.of("100.00"), PAY_DAY, text="PLACEHOLDER", payer_name="Ola")])
    parts = ["Faktura 1001\r\n" + "a" * 126] + [c * 140 for c in "bcd"]
    data = data.replace(b"<Ustrd>PLACEHOLDER</Ustrd>", b"".join(f"<Ustrd>{p}</Ustrd>".encode() for p in parts))
    report = payments.import_payments(uow, data, filename="lang.xml")
    assert len(report.unmatched) == 1
    (stored,) = payments.unmatched(uow)
    assert stored.message is not None
    assert len(stored.message) == 500
    assert stored.message.startswith("Faktura 1001 aaa")
    assert stored.message.endswith("d…")
    with uow:
        (again,) = [p for p in uow.collection.payments() if p.id == stored.id]
    assert again.message == stored.message


def test_a_later_sighting_forgets_the_payer_and_the_message_when_the_debtor_is_erased(uow: UnitOfWork) -> None:
    """GDPR art. 17: the second sighting of Kari's payment (another file reporting the same transaction) loses
    the payer's name and message with her personal data; the payment itself keeps them, as the bank reported it."""
    kari = _notice(uow, "20001")
    credit = Credit("W1", kari.total, PAY_DAY, kid=kari.kid, text="Faktura 2001", payer_name="Kari Nordmann")
    payments.import_payments(uow, _camt([credit]), filename="first.xml")
    again = build_camt054(
        SERVICE.account, [credit], message_id="MSG-2", created=datetime.combine(PAY_DAY, time(7), tzinfo=UTC)
    )
    assert len(payments.import_payments(uow, again, filename="second.xml").duplicates) == 1
    with uow:
        customer = uow.ledger.customers(1, ["20001"])["20001"]
        changed = uow.personal_data.erase(1, erased(customer, date(2032, 1, 5)))
        uow.commit()
    assert changed["client_payment_duplicate"] == 1
    with uow:
        (sighting,) = uow.collection.payments(status=PaymentStatus.DUPLICATE)
        (payment,) = uow.collection.payments()
    assert (sighting.payer, sighting.message) == (None, None)
    assert (payment.payer, payment.message) == ("Kari Nordmann", "Faktura 2001")


def test_the_debtors_data_export_has_what_they_wrote_with_their_payment_gdpr_art_15(uow: UnitOfWork) -> None:
    kari = _notice(uow, "20001")
    credit = Credit("W1", kari.total, PAY_DAY, kid=kari.kid, text="Faktura 2001", payer_name="Kari Nordmann")
    payments.import_payments(uow, _camt([credit]), filename="camt.xml")
    with uow:
        company = uow.companies.get(ORGNO)
        export = read_export(uow, company, uow.ledger.customers(1, ["20001"])["20001"], on=PAY_DAY)
    assert [(p.payer, p.message, p.letter_id) for p in export.payments] == [("Kari Nordmann", "Faktura 2001", kari.id)]


def _told(engine: Engine, on: date) -> list[ClaimChanged]:
    """What the service told the ledger of its claims, dated ``on``, in the order it was told."""
    m = t.message
    query = sa.select(m.c.payload).where(m.c.kind == "claim_changed", m.c.on_date == on).order_by(m.c.id)
    with engine.connect() as conn:
        return [decode_message(payload) for payload in conn.execute(query).scalars()]


def test_a_letter_paid_in_full_tells_the_ledger_once_that_the_claim_is_paid_r_led_3(
    uow: UnitOfWork, engine: Engine
) -> None:
    """Kari pays her notice in full on 1 April: the day's first step applies it and closes 2001 (the ledger is
    told: closed, nothing owed); a later step owes her the paid confirmation, which changes nothing the ledger
    keeps, so the ledger is not told the same again."""
    kari = _notice(uow, "20001")
    payments.import_payments(uow, _camt([Credit("P1", kari.total, PAY_DAY, kid=kari.kid)]), filename="c.xml")
    report = run_day(uow, ORGNO, PAY_DAY, rates=RATES, service=SERVICE)
    assert report.letters[LetterType.PAID_CONFIRMATION] == 1
    with uow:
        (claim,) = uow.collection.claims(1, ClaimFilter(invoice_numbers=["2001"]))
        kinds = [e.kind for e in uow.collection.history(1, claim.id or 0) if e.date == PAY_DAY]
    assert EventKind.CLOSED in kinds  # two steps changed it: the payment's ...
    assert EventKind.LETTER in kinds  # ... and the confirmation's
    told = [m for m in _told(engine, PAY_DAY) if m.collection_id == claim.collection_id]
    assert [(m.stage, m.principal_outstanding, m.fee_outstanding, m.interest_outstanding) for m in told] == [
        ("closed", Money.zero(), Money.zero(), Money.zero())
    ]
    with uow:
        (item,) = uow.ledger.items(1, ItemFilter(numbers=["2001"], debits_only=True))
    assert (item.fee_outstanding, item.interest_outstanding) == (Money.zero(), Money.zero())


def test_the_ledger_is_told_a_claims_figures_again_the_same_day_only_when_they_changed_r_led_3(
    uow: UnitOfWork, engine: Engine
) -> None:
    """``save_changes`` with what the day's steps told the ledger so far: the same figures again tell it nothing;
    a payment on the claim tells it the new ones."""
    told: dict[str, ClaimChanged] = {}
    with uow:
        company = uow.companies.get(ORGNO)
        day = Day(PAY_DAY, uow.agreements.get(1), RATES)
        (claim,) = uow.collection.claims(1, ClaimFilter(invoice_numbers=["2001"]))
        for detail in ("first step", "second step, nothing the ledger keeps changed"):
            result = StepResult()
            result.event(claim, PAY_DAY, EventKind.MESSAGE, detail=detail)
            save_changes(uow, company, day, [claim], result, by="test", told=told)
        claim.pay(fee=Money.of("35.00"))
        result = StepResult()
        result.event(claim, PAY_DAY, EventKind.MESSAGE, detail="the fee paid")
        save_changes(uow, company, day, [claim], result, by="test", told=told)
        uow.commit()
    told_of = [m for m in _told(engine, PAY_DAY) if m.collection_id == claim.collection_id]
    assert [m.fee_outstanding for m in told_of] == [Money.of("35.00"), Money.zero()]
    assert told[claim.collection_id] == told_of[-1]
