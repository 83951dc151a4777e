"""Money in and out on the collection side: the day's payments and credits applied first (R-TIME-5 (1)), and
what was collected remitted last (R-TIME-5 (9), R-BANK-3, R-LED-7)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

from krav.domain.collection.allocation import (
    Applied,
    LetterTerms,
    allocate_client_payment,
    allocate_direct_payment,
    apply_credit,
    keep_for_refund,
    settle_if_paid,
)
from krav.domain.collection.claims import Claim
from krav.domain.collection.events import EventKind
from krav.domain.collection.interest import interest_outstanding
from krav.domain.collection.settlement import vat_on
from krav.domain.collection.steps import StepResult
from krav.domain.messages import CreditReported, DirectPaymentReported, SettlementIssued, SettlementLine
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.collection.day import CreditorDay, StepOutcome, hold, save_changes
from krav.services.collection.delivery import enqueue_settlement
from krav.services.collection.holding import Held
from krav.services.ports import (
    AllocationChannel,
    ClaimFilter,
    ClientPayment,
    PaymentApplication,
    PaymentStatus,
    StoredLetter,
    UnitOfWork,
)


def _applied_events(
    result: StepResult, claims: dict[str, Claim], applied: Sequence[Applied], on: date, kind: EventKind
) -> None:
    for a in applied:
        claim = claims[a.collection_id]
        result.event(
            claim,
            on,
            kind,
            a.total,
            f"principal {a.principal.amount}, fee {a.fee.amount}, "
            f"interest {a.interest.amount}, salær {a.salaer.amount}, overpaid {a.overpaid.amount}",
        )
        if not a.waived_interest.is_zero():  # R-CLM-12
            result.event(claim, on, EventKind.INTEREST_WAIVED, a.waived_interest, "letter paid in time")
        if a.waived_costs is not None and a.waived_costs.is_positive():  # R-CLM-14
            result.event(claim, on, EventKind.COSTS_WAIVED, a.waived_costs, "charged after a letter paid in time")


def _letter_terms(letter: StoredLetter) -> LetterTerms:
    return LetterTerms(
        sent_on=letter.sent_on,
        deadline=letter.deadline,
        total=letter.total,
        interest_by_claim={
            line.collection_id: line.interest + (line.interest_paid_before or Money.zero(line.interest.currency))
            for line in letter.lines
        },
        # letters written before the charges were recorded on their lines: what the letter stated stands in
        charged_by_claim={
            line.collection_id: (
                line.fee if line.fees_charged is None else line.fees_charged,
                line.salaer if line.salaer_charged is None else line.salaer_charged,
            )
            for line in letter.lines
        },
    )


def money_in(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-TIME-5 (1): apply the day's reported direct payments and credits (R-LED-5, R-CLM-7, R-CLM-10) and the
    payments received on the client account (R-CLM-7, R-CLM-12), then close what is paid (R-CLM-9)."""
    day, cid = ctx.day, ctx.company_id
    rates, charge = day.rates, day.charge_interest
    result = StepResult()
    applied_count = 0
    reports = uow.outbox.pending_reports(cid, day.today)
    payments = uow.collection.pending_payments(cid, day.today)
    wanted = {r.collection_id for _, r in reports}
    letter_ids = sorted({p.letter_id for p in payments if p.letter_id is not None})
    letters = {lt.id: lt for lt in uow.collection.letters(cid, letter_ids=letter_ids)} if letter_ids else {}
    for paid in letters.values():
        wanted.update(line.collection_id for line in paid.lines)
    claims = (
        {c.collection_id: c for c in uow.collection.claims(cid, ClaimFilter(collection_ids=wanted))} if wanted else {}
    )

    handled: list[int] = []
    held: list[Held] = []
    for message_id, report in reports:
        claim = claims.get(report.collection_id)
        if claim is None or not claim.is_open:
            handled.append(message_id)  # a report for a closed or unknown claim changes nothing on this side
            continue
        try:
            work, applied, step = _apply_report(claim, report, rates, charge)
        except Exception as exc:  # held: the report waits, named in the day's report, and is tried again
            held.append(Held(claim.collection_id, claim.invoice_number, "money_in", _reason(report, exc)))
            continue
        claims[claim.collection_id] = work
        channel = AllocationChannel.DIRECT if isinstance(report, DirectPaymentReported) else AllocationChannel.CREDIT
        uow.collection.add_allocations(
            cid, {work.collection_id: work.id or 0}, applied, on=report.on, channel=channel, payment_id=None
        )
        result.merge(step)
        handled.append(message_id)
        applied_count += 1
    uow.outbox.mark_handled(handled)

    applications: list[PaymentApplication] = []
    computable: set[tuple[str, date, date | None]] = set()
    terms: dict[int, LetterTerms] = {}
    for payment in payments:
        assert payment.id is not None
        letter = letters.get(payment.letter_id) if payment.letter_id is not None else None
        why = _why_not_applied(payment, letter)
        if why is not None or letter is None:
            uow.collection.set_payment_status(
                payment.id, PaymentStatus.UNMATCHED, on=day.today, reason=why or "no letter with this KID"
            )
            continue
        on_letter = [claims[line.collection_id] for line in letter.lines if line.collection_id in claims]
        try:
            if letter.id not in terms:
                terms[letter.id] = _letter_terms(letter)
            worked, applied, step = _apply_payment(payment, terms[letter.id], on_letter, ctx, computable)
        except Exception as exc:  # the payment goes to the manual queue with the reason; the rest go on
            uow.collection.set_payment_status(
                payment.id, PaymentStatus.UNMATCHED, on=day.today, reason=f"could not be applied: {exc}"[:1000]
            )
            continue
        claims.update((c.collection_id, c) for c in worked)
        ids = {c.collection_id: c.id or 0 for c in worked}
        applications.append(PaymentApplication(payment.id, payment.received_on, ids, tuple(applied)))
        result.merge(step)
        applied_count += 1
    uow.collection.record_applied_payments(cid, applications, applied_on=day.today)
    save_changes(uow, ctx.company, ctx.day, claims.values(), result, by="service", told=ctx.told)
    hold(uow, ctx, held)
    return StepOutcome(payments_applied=applied_count, events=len(result.events), held=held)


def _reason(report: DirectPaymentReported | CreditReported, exc: Exception) -> str:
    what = "direct payment" if isinstance(report, DirectPaymentReported) else "credit"
    return f"{what} of {report.amount.amount} on {report.on} could not be applied: {exc}"


def _apply_report(
    claim: Claim, report: DirectPaymentReported | CreditReported, rates: RateTables, charge: bool
) -> tuple[Claim, list[Applied], StepResult]:
    """A reported direct payment or credit applied to a copy of its claim, as of the day it was paid or
    credited (R-CLM-6, R-CLM-7, R-CLM-10); the copy, what it applied, and its events."""
    work = copy.deepcopy(claim)
    step = StepResult()
    on = report.on
    if isinstance(report, DirectPaymentReported):
        applied = [allocate_direct_payment(work, report.amount, on, rates, charge_interest=charge)]
        kind = EventKind.DIRECT_PAYMENT
    else:
        applied = [apply_credit(work, report.amount, on, rates, charge_interest=charge)]
        kind = EventKind.CREDIT
        if work.is_closed:
            step.event(work, on, EventKind.CLOSED, detail="credited")
    _applied_events(step, {work.collection_id: work}, applied, on, kind)
    if settle_if_paid(work, on, rates, charge_interest=charge):
        step.event(work, on, EventKind.CLOSED, detail="paid")
    return work, applied, step


def _why_not_applied(payment: ClientPayment, letter: StoredLetter | None) -> str | None:
    """Why a pending payment cannot be applied by itself: it goes to the manual queue with the reason."""
    if letter is None:
        return "no letter with this KID"
    if not payment.amount.is_positive():
        return f"the amount is {payment.amount.amount}: a payment must be more than 0.00"
    return None


def _apply_payment(
    payment: ClientPayment,
    terms: LetterTerms,
    on_letter: list[Claim],
    ctx: CreditorDay,
    computable: set[tuple[str, date, date | None]],
) -> tuple[list[Claim], list[Applied], StepResult]:
    """A client-account payment applied to copies of its letter's claims as of the day it arrived (R-CLM-7,
    R-CLM-12; ``terms``: what the letter stated), closing what it pays (R-CLM-9); the copies, what it applied,
    and its events. ``computable``: the claims' open segments (claim, start, closed on) whose interest to the
    business day was worked out already, which is all that could fail of it (the rate table's days)."""
    day = ctx.day
    rates, charge = day.rates, day.charge_interest
    # copies of what the payment can change: the letter's open claims, or the last claim, which keeps a payment to a
    # letter whose claims are all closed already (a closed claim is otherwise left as it is)
    open_claims = [copy.deepcopy(c) for c in on_letter if c.is_open]
    worked = open_claims or [copy.deepcopy(c) for c in on_letter[-1:]]
    received = payment.received_on  # the day it reached the client account (R-CLM-12)
    step = StepResult()
    if open_claims:
        applied = allocate_client_payment(
            open_claims,
            payment.amount,
            received,
            rates,
            order=ctx.agreement.allocation_order,
            charge_interest=charge,
            letter=terms,
            ordered_on=payment.ordered_on,
        )
        # a claim the payment did not reach gets no allocation and no event: its history, its settlement lines and
        # its paid confirmation show the payments that paid something on it
        applied = [a for a in applied if a.reached]
    else:
        # every claim of the letter is closed already: all of it is kept for refund (R-CLM-9)
        applied = [keep_for_refund(worked[-1], payment.amount)]
    _applied_events(step, {c.collection_id: c for c in worked}, applied, received, EventKind.PAYMENT)
    for claim in open_claims:
        if settle_if_paid(claim, received, rates, charge_interest=charge):
            step.event(claim, received, EventKind.CLOSED, detail="paid")
    for claim in worked:  # the figures the ledger is told must be computable too (once for each open segment)
        segment = (claim.collection_id, claim.segment_start, claim.closed_on)
        if segment not in computable:
            interest_outstanding(claim, day.today, rates, charge_interest=charge)
            computable.add(segment)
    return worked, applied, step


_PARTS = ("principal", "fee", "interest", "overpaid", "costs")


def remittance(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
    """R-BANK-3, R-LED-7: on a bank day, remit what the client account collected for the creditor: one
    settlement (principal, fee, interest, overpayment; the salær is the service's), reported to the creditor
    and sent to the ledger as :class:`SettlementIssued`."""
    day, cid = ctx.day, ctx.company_id
    if not day.bank_day:
        return StepOutcome()
    rows = uow.collection.unsettled(cid, day.today)
    if not rows:
        return StepOutcome()
    totals = {k: Money.zero() for k in _PARTS}
    per_claim: dict[str, dict[str, Money]] = {}
    for row in rows:
        line = per_claim.setdefault(row.collection_id, {k: Money.zero() for k in _PARTS})
        amounts = {
            "principal": row.principal,
            "fee": row.fee,
            "interest": row.interest,
            "overpaid": row.overpaid,
            # on the client account the salær is the service's own; a creditor_costs row is costs invoiced (R-ACT-2)
            "costs": row.salaer if row.channel is AllocationChannel.CREDITOR_COSTS else Money.zero(),
        }
        for key, amount in amounts.items():
            line[key] = line[key] + amount
            totals[key] = totals[key] + amount
    vat = {collection_id: vat_on(v["costs"]) for collection_id, v in per_claim.items()}
    totals["costs_vat"] = Money.sum(vat.values())
    stored = uow.collection.add_settlement(cid, day.today, totals, [row.id for row in rows])
    enqueue_settlement(uow, cid, stored.id, day.today, ctx.agreement.collection_list_email)
    message = SettlementIssued(
        company=ctx.company.orgno,
        settlement_id=stored.reference,
        remitted_on=day.today,
        lines=tuple(
            SettlementLine(
                collection_id, v["principal"], v["fee"], v["interest"], v["costs"], vat[collection_id], v["overpaid"]
            )
            for collection_id, v in per_claim.items()
        ),
    )
    uow.outbox.add(cid, message, on=day.today)
    settled = (
        totals["principal"]
        + totals["fee"]
        + totals["interest"]
        + totals["overpaid"]
        - totals["costs"]
        - totals["costs_vat"]
    )
    return StepOutcome(settled=settled)
