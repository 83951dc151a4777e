"""Money in and out on the collection side: the day's payments and credits applied first (R-TIME-5 (1)), and
what was collected remitted last (R-TIME-5 (9), R-BANK-3, R-LED-7)."""

from __future__ import annotations

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
from krav.domain.collection.settlement import vat_on
from krav.domain.collection.steps import StepResult
from krav.domain.messages import DirectPaymentReported, SettlementIssued, SettlementLine
from krav.domain.money import Money
from krav.services.collection.day import CreditorDay, StepOutcome, save_changes
from krav.services.collection.delivery import enqueue_settlement
from krav.services.ports import (
    AllocationChannel,
    ClaimFilter,
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
        if not a.waived_interest.is_zero():
            result.event(claim, on, EventKind.INTEREST_WAIVED, a.waived_interest, "letter paid in time (R-CLM-12)")


def _letter_terms(letter: StoredLetter) -> LetterTerms:
    return LetterTerms(
        sent_on=letter.sent_on,
        deadline=letter.deadline,
        total=letter.total,
        interest_by_claim={
            line.collection_id: line.interest + (line.interest_paid_before or Money.zero(line.interest.currency))
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

    for _message_id, report in reports:
        claim = claims.get(report.collection_id)
        # applied as of the day it was paid or credited, not the day of the run (R-CLM-6, R-CLM-12)
        on = report.on
        if claim is None or not claim.is_open:
            continue  # a report for a closed or unknown claim changes nothing on the collection side
        if isinstance(report, DirectPaymentReported):
            applied = [allocate_direct_payment(claim, report.amount, on, rates, charge_interest=charge)]
            channel, kind = AllocationChannel.DIRECT, EventKind.DIRECT_PAYMENT
        else:
            applied = [apply_credit(claim, report.amount, on, rates, charge_interest=charge)]
            channel, kind = AllocationChannel.CREDIT, EventKind.CREDIT
            if claim.is_closed:
                result.event(claim, on, EventKind.CLOSED, detail="credited")
        uow.collection.add_allocations(
            cid, {claim.collection_id: claim.id or 0}, applied, on=on, channel=channel, payment_id=None
        )
        _applied_events(result, claims, applied, on, kind)
        if settle_if_paid(claim, on, rates, charge_interest=charge):
            result.event(claim, on, EventKind.CLOSED, detail="paid")
        applied_count += 1
    uow.outbox.mark_handled(message_id for message_id, _ in reports)

    for payment in payments:
        assert payment.id is not None
        letter = letters.get(payment.letter_id) if payment.letter_id is not None else None
        if letter is None:
            uow.collection.set_payment_status(
                payment.id, PaymentStatus.UNMATCHED, on=day.today, reason="no letter with this KID"
            )
            continue
        received = payment.received_on  # the day it reached the client account (R-CLM-12)
        on_letter = [claims[line.collection_id] for line in letter.lines if line.collection_id in claims]
        open_claims = [c for c in on_letter if c.is_open]
        if open_claims:
            applied = allocate_client_payment(
                open_claims,
                payment.amount,
                received,
                rates,
                order=ctx.agreement.allocation_order,
                charge_interest=charge,
                letter=_letter_terms(letter),
            )
        else:
            # every claim of the letter is closed already: all of it is kept for refund (R-CLM-9)
            applied = [keep_for_refund(on_letter[-1], payment.amount)]
        ids = {c.collection_id: c.id or 0 for c in on_letter}
        uow.collection.add_allocations(
            cid, ids, applied, on=received, channel=AllocationChannel.CLIENT_ACCOUNT, payment_id=payment.id
        )
        _applied_events(result, claims, applied, received, EventKind.PAYMENT)
        for claim in open_claims:
            if settle_if_paid(claim, received, rates, charge_interest=charge):
                result.event(claim, received, EventKind.CLOSED, detail="paid")
        uow.collection.set_payment_status(payment.id, PaymentStatus.APPLIED, on=day.today)
        applied_count += 1
    save_changes(uow, ctx.company, ctx.day, claims.values(), result, by="service")
    return StepOutcome(payments_applied=applied_count, events=len(result.events))


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
