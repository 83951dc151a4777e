"""The collection service's use cases: the daily run, money in, the creditor's actions, list approval.

``run_day`` runs one creditor's business day in the order of R-TIME-5. Each step is its own transaction and
records that it ran for (creditor, date, step), so running the same date again changes nothing, and a run
killed half-way and run again ends exactly as an uninterrupted one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from krav.domain.agreement import Agreement, DunningFlow
from krav.domain.calendar import is_bank_day
from krav.domain.collection.actions import Action, ActionResult, apply_action
from krav.domain.collection.allocation import (
    Applied,
    LetterTerms,
    allocate_client_payment,
    allocate_direct_payment,
    apply_credit,
    settle_if_paid,
)
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.interest import interest_accrued, interest_outstanding
from krav.domain.collection.letters import letter_kid
from krav.domain.collection.settlement import vat_on
from krav.domain.collection.steps import (
    Day,
    Event,
    StepResult,
    confirmations_and_interest_notes,
    draw_collection_list,
    expire_pauses,
    legal_steps,
    reminder_and_notice_letters,
    transfers_to_inkasso,
)
from krav.domain.errors import FieldError, NotFound
from krav.domain.messages import (
    ClaimChanged,
    CreditReported,
    DirectPaymentReported,
    SettlementIssued,
    SettlementLine,
)
from krav.domain.money import Money
from krav.domain.party import Company
from krav.domain.rates import RateTables
from krav.services import delivery, ledger, submission
from krav.services.ports import Service, StoredLetter, UnitOfWork

STEPS = (
    "money_in",
    "pause_expiry",
    "confirmations",
    "letters",
    "inkasso",
    "legal",
    "collection_list",
    "remittance",
)


class StepFailed(Exception):
    """Raised on purpose between steps by tests that show a killed run recovers (``crash_after``)."""


@dataclass
class DayReport:
    """What a day's run did for one creditor."""

    company: str
    date: date
    bank_day: bool
    steps_run: list[str] = field(default_factory=list)
    steps_skipped: list[str] = field(default_factory=list)
    submitted: int = 0
    letters: Counter[str] = field(default_factory=Counter)
    listed: int = 0
    payments_applied: int = 0
    settled: Money = field(default_factory=Money.zero)
    notes: list[str] = field(default_factory=list)


# -- helpers ------------------------------------------------------------------------------------------------------


def _company(uow: UnitOfWork, orgno: str) -> tuple[Company, int, Agreement]:
    company = uow.companies.get(orgno)
    assert company.id is not None
    return company, company.id, uow.agreements.get(company.id)


def _day(company: Company, agreement: Agreement, on: date, rates: RateTables) -> Day:
    return Day(on, agreement, rates, creditor_vat_registered=company.vat_registered)


def _save(uow: UnitOfWork, company: Company, claims: Iterable[Claim], result: StepResult, *, by: str, day: Day) -> None:
    """Store what a step changed: the claims, their events, and the ledger's copy of fee and interest."""
    changed = [c for c in claims if c.collection_id in result.changed]
    uow.collection.save_claims(changed)
    ids = {c.collection_id: c.id for c in changed if c.id is not None}
    assert company.id is not None
    uow.collection.add_events(company.id, ids, result.events, by=by)
    orgno = company.orgno
    for claim in changed:
        # R-LED-3: the service tells the ledger, which keeps the item's outstanding fee and interest in step
        ledger.receive_claim_changed(
            uow,
            orgno,
            ClaimChanged(
                company=orgno,
                collection_id=claim.collection_id,
                stage=claim.stage.value,
                principal_outstanding=claim.principal_outstanding,
                fee_outstanding=claim.fees_outstanding,
                interest_outstanding=interest_outstanding(
                    claim, day.today, day.rates, charge_interest=day.charge_interest
                ),
                changed_on=day.today,
            ),
        )


def _store_letters(
    uow: UnitOfWork, company: Company, agreement: Agreement, result: StepResult, service: Service
) -> list[StoredLetter]:
    assert company.id is not None
    account = service.account if agreement.dunning_flow is DunningFlow.CLIENT_ACCOUNT else company.bank_account
    stored = []
    for draft in result.letters:
        letter = uow.collection.add_letter(
            company.id,
            draft,
            kid_for=lambda letter_id: letter_kid(letter_id, agreement.kid_scheme.value, agreement.kid_length),
            account=account,
        )
        delivery.enqueue_letter(uow, letter, draft.recipient)
        stored.append(letter)
    return stored


# -- step 1: money in -----------------------------------------------------------------------------------------------


def _applied_events(
    result: StepResult, claims: dict[str, Claim], applied: Sequence[Applied], on: date, kind: str
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
            result.event(claim, on, "interest_waived", a.waived_interest, "letter paid in time (R-CLM-12)")


def money_in(uow: UnitOfWork, company: Company, agreement: Agreement, day: Day) -> tuple[StepResult, int]:
    """R-TIME-5 (1): apply the day's reported direct payments and credits (R-LED-5, R-CLM-7, R-CLM-10) and the
    payments received on the client account (R-CLM-7, R-CLM-12), then close what is paid (R-CLM-9)."""
    assert company.id is not None
    result = StepResult()
    applied_count = 0
    reports = uow.outbox.pending_reports(company.id, day.today)
    payments = uow.collection.pending_payments(company.id, day.today)
    wanted = {r.collection_id for _, r in reports}
    letters: dict[int, StoredLetter] = {}
    for payment in payments:
        if payment.letter_id is not None:
            found = uow.collection.letters(company.id, letter_ids=[payment.letter_id])
            if found:
                letters[payment.letter_id] = found[0]
                wanted.update(line.collection_id for line in found[0].lines)
    claims = {c.collection_id: c for c in uow.collection.claims(company.id, collection_ids=wanted)} if wanted else {}

    for _message_id, report in reports:
        claim = claims.get(report.collection_id)
        # applied as of the day it was paid or credited, not the day of the run (R-CLM-6, R-CLM-12)
        paid_on = report.paid_on if isinstance(report, DirectPaymentReported) else report.credited_on
        if claim is None or not claim.is_open:
            continue  # a report for a closed or unknown claim changes nothing on the collection side
        if isinstance(report, DirectPaymentReported):
            applied = [
                allocate_direct_payment(claim, report.amount, paid_on, day.rates, charge_interest=day.charge_interest)
            ]
            channel, kind = "direct", "direct_payment"
        else:
            assert isinstance(report, CreditReported)
            applied = [apply_credit(claim, report.amount, paid_on, day.rates, charge_interest=day.charge_interest)]
            channel, kind = "credit", "credit"
            if claim.is_closed:
                result.event(claim, paid_on, "closed", detail="credited")
        uow.collection.add_allocations(
            company.id, {claim.collection_id: claim.id or 0}, applied, on=paid_on, channel=channel, payment_id=None
        )
        _applied_events(result, claims, applied, paid_on, kind)
        if settle_if_paid(claim, paid_on, day.rates, charge_interest=day.charge_interest):
            result.event(claim, paid_on, "closed", detail="paid")
        applied_count += 1
    uow.outbox.mark_handled(message_id for message_id, _ in reports)

    for payment in payments:
        assert payment.id is not None
        letter = letters.get(payment.letter_id) if payment.letter_id is not None else None
        if letter is None:
            uow.collection.set_payment_status(payment.id, "unmatched", on=day.today, reason="no letter with this KID")
            continue
        received = payment.received_on  # the day it reached the client account (R-CLM-12)
        on_letter = [claims[line.collection_id] for line in letter.lines if line.collection_id in claims]
        terms = LetterTerms(
            sent_on=letter.sent_on,
            deadline=letter.deadline,
            total=letter.total,
            interest_by_claim={
                line.collection_id: line.interest + (line.interest_paid_before or Money.zero(line.interest.currency))
                for line in letter.lines
            },
        )
        open_claims = [c for c in on_letter if c.is_open]
        if open_claims:
            applied = allocate_client_payment(
                open_claims,
                payment.amount,
                received,
                day.rates,
                order=agreement.allocation_order,
                charge_interest=day.charge_interest,
                letter=terms,
            )
        else:
            # every claim of the letter is closed already: all of it is kept for refund (R-CLM-9)
            last = on_letter[-1]
            last.overpaid = last.overpaid + payment.amount
            zero = Money.zero(payment.amount.currency)
            applied = [Applied(last.collection_id, zero, zero, zero, zero, payment.amount, zero)]
        ids = {c.collection_id: c.id or 0 for c in on_letter}
        uow.collection.add_allocations(
            company.id, ids, applied, on=received, channel="client_account", payment_id=payment.id
        )
        _applied_events(result, claims, applied, received, "payment")
        for claim in open_claims:
            if settle_if_paid(claim, received, day.rates, charge_interest=day.charge_interest):
                result.event(claim, received, "closed", detail="paid")
        uow.collection.set_payment_status(payment.id, "applied", on=day.today)
        applied_count += 1
    _save(uow, company, claims.values(), result, by="service", day=day)
    return result, applied_count


# -- step 9: remittance -----------------------------------------------------------------------------------------


def remittance(uow: UnitOfWork, company: Company, agreement: Agreement, day: Day) -> Money:
    """R-BANK-3, R-LED-7: on a bank day, remit what the client account collected for the creditor: one
    settlement (principal, fee, interest, overpayment; the salær is the service's) posted into the ledger."""
    assert company.id is not None
    if not day.bank_day:
        return Money.zero()
    rows = uow.collection.unsettled(company.id, day.today)
    if not rows:
        return Money.zero()
    totals = {k: Money.zero() for k in ("principal", "fee", "interest", "overpaid", "costs")}
    per_claim: dict[str, dict[str, Money]] = {}
    for row in rows:
        line = per_claim.setdefault(row["collection_id"], {k: Money.zero() for k in totals})
        amounts = {
            "principal": row["principal_ore"],
            "fee": row["fee_ore"],
            "interest": row["interest_ore"],
            "overpaid": row["overpaid_ore"],
            # on the client account the salær is the service's own; a creditor_costs row is costs invoiced (R-ACT-2)
            "costs": row["salaer_ore"] if row["channel"] == "creditor_costs" else 0,
        }
        for key, ore in amounts.items():
            amount = Money.from_ore(ore)
            line[key] = line[key] + amount
            totals[key] = totals[key] + amount
    vat = {cid: vat_on(v["costs"]) for cid, v in per_claim.items()}
    totals["costs_vat"] = Money.sum(vat.values())
    settlement_id = uow.collection.add_settlement(company.id, day.today, totals, [row["id"] for row in rows])
    delivery.enqueue_settlement(uow, company.id, settlement_id, day.today, agreement.collection_list_email)
    message = SettlementIssued(
        company=company.orgno,
        settlement_id=f"OPG-{company.id:03d}-{day.today:%Y%m%d}",
        remitted_on=day.today,
        lines=tuple(
            SettlementLine(cid, v["principal"], v["fee"], v["interest"], v["costs"], vat[cid], v["overpaid"])
            for cid, v in per_claim.items()
        ),
    )
    uow.outbox.add(company.id, message, direction="to_ledger", on=day.today, handled=True)
    ledger.receive_settlement(uow, company.orgno, message, agreement)
    return (
        totals["principal"]
        + totals["fee"]
        + totals["interest"]
        + totals["overpaid"]
        - totals["costs"]
        - totals["costs_vat"]
    )


# -- the day ------------------------------------------------------------------------------------------------------


def run_day(
    uow: UnitOfWork,
    orgno: str,
    on: date,
    *,
    rates: RateTables,
    service: Service,
    crash_after: str | None = None,
) -> DayReport:
    """Run one business day for one creditor, step by step (R-TIME-5); each step commits on its own and is
    recorded, so a rerun of the same date skips what was done."""
    with uow:
        company, _, agreement = _company(uow, orgno)
    report = DayReport(orgno, on, is_bank_day(on))
    for step in STEPS:
        with uow:
            company, company_id, agreement = _company(uow, orgno)
            if uow.collection.step_done(company_id, on, step):
                report.steps_skipped.append(step)
                continue
            day = _day(company, agreement, on, rates)
            summary = _run_step(uow, step, company, agreement, day, service, report)
            uow.collection.mark_step(company_id, on, step, summary)
            uow.commit()
            report.steps_run.append(step)
        if crash_after == step:
            raise StepFailed(f"stopped on purpose after step {step}")
    if rates.interest_rate(on).from_table is False:
        report.notes.append(
            f"no forsinkelsesrente in the rate table for {on}: the last known rate {rates.interest_rate(on).rate} % "
            "was used; update rates.toml"
        )
    return report


def _run_step(
    uow: UnitOfWork,
    step: str,
    company: Company,
    agreement: Agreement,
    day: Day,
    service: Service,
    report: DayReport,
) -> dict[str, Any]:
    assert company.id is not None
    cid = company.id
    if step == "money_in":
        _, count = money_in(uow, company, agreement, day)
        report.payments_applied += count
        return {"applied": count}
    if step == "remittance":
        settled = remittance(uow, company, agreement, day)
        report.settled = report.settled + settled
        return {"settled": str(settled.amount)}
    if step == "letters" and day.bank_day and agreement.active:
        submitted = submission.auto_transfer_in(uow, company, today=day.today, rates=day.rates)
        report.submitted += sum(1 for s in submitted if s.submitted)
    claims = uow.collection.claims(cid, due_by=day.today)
    result: StepResult
    if step == "pause_expiry":
        result = expire_pauses(claims, day)
    elif step == "confirmations":
        claims = uow.collection.claims(cid, letters_due=True)
        result = confirmations_and_interest_notes(claims, day)
    elif step == "letters":
        result = reminder_and_notice_letters(claims, day)
    elif step == "inkasso":
        result = transfers_to_inkasso(claims, day, case_numbers=_case_numbers(uow, cid))
    elif step == "legal":
        result = legal_steps(claims, day)
    elif step == "collection_list":
        result = draw_collection_list(claims, day)
        if result.listed:
            transfer = result.listed[0].transfer_on
            _save(uow, company, claims, result, by="service", day=day)
            owed = [
                (c, interest_outstanding(c, day.today, day.rates, charge_interest=day.charge_interest))
                for c in result.listed
            ]
            list_id = uow.collection.add_list(cid, day.today, transfer, owed)
            delivery.enqueue_list(uow, cid, list_id, day.today, agreement.collection_list_email)
            report.listed += len(result.listed)
            return {"listed": len(result.listed)}
    else:  # pragma: no cover - STEPS is closed
        raise AssertionError(step)
    _save(uow, company, claims, result, by="service", day=day)
    stored = _store_letters(uow, company, agreement, result, service)
    for letter in stored:
        report.letters[letter.type.value] += 1
    return {"letters": len(stored), "events": len(result.events)}


def _case_numbers(uow: UnitOfWork, company_id: int) -> Iterable[str]:
    while True:
        yield uow.collection.next_case_number(company_id)


# -- the creditor's actions -------------------------------------------------------------------------------------


def _claims_by_invoice(uow: UnitOfWork, company_id: int, invoices: Sequence[str]) -> dict[str, Claim]:
    found = {c.invoice_number: c for c in uow.collection.claims(company_id, invoice_numbers=invoices)}
    missing = [n for n in invoices if n not in found]
    if missing:
        raise NotFound(f"no claim for invoice {', '.join(missing)}")
    return found


def act(
    uow: UnitOfWork,
    orgno: str,
    invoices: Sequence[str],
    action: Action,
    *,
    on: date,
    by: str,
    rates: RateTables,
    text: str | None = None,
) -> list[ActionResult]:
    """R-ACT-1 … R-ACT-4: pause, resume, close or message several claims at once; a result per claim, refused
    ones with their reason (``claim_in_inkasso``, ``claim_closed``, ``not_paused``, ``already_paused``)."""
    if action is Action.MESSAGE and not (text and text.strip()):
        raise FieldError("text", "a message needs a text")
    with uow:
        company, company_id, agreement = _company(uow, orgno)
        claims = _claims_by_invoice(uow, company_id, invoices)
        result = StepResult()
        outcomes = []
        for invoice in invoices:
            claim = claims[invoice]
            outcome = apply_action(action, claim, on, invoice_costs=agreement.invoice_inkasso_costs_on_close)
            outcomes.append(outcome)
            if outcome.accepted:
                detail = text.strip() if action is Action.MESSAGE and text else action.value
                result.event(claim, on, "action" if action is not Action.MESSAGE else "message", detail=detail)
                if action is Action.CLOSE:
                    result.event(claim, on, "closed", detail="closed_by_creditor")
                if outcome.costs_invoiced is not None:
                    # R-ACT-2: deducted from the creditor's next settlement, with VAT
                    zero = Money.zero(claim.currency)
                    uow.collection.add_allocations(
                        company_id,
                        {claim.collection_id: claim.id or 0},
                        [Applied(claim.collection_id, zero, zero, zero, outcome.costs_invoiced, zero, zero)],
                        on=on,
                        channel="creditor_costs",
                        payment_id=None,
                    )
                    result.event(claim, on, "costs_invoiced", outcome.costs_invoiced, "closed in inkasso (R-ACT-2)")
            else:
                result.events.append(
                    Event(claim.collection_id, on, "action_refused", None, f"{action.value}: {outcome.reason}")
                )
                result.changed.add(claim.collection_id)
        _save(uow, company, claims.values(), result, by=by, day=_day(company, agreement, on, rates))
        uow.commit()
        return outcomes


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    invoice: str
    approved: bool
    reason: str | None = None


def approve(uow: UnitOfWork, orgno: str, invoices: Sequence[str], *, on: date, by: str) -> list[ApprovalResult]:
    """R-CLM-4: the creditor approves listed claims for inkasso; they move in the day's run."""
    with uow:
        _, company_id, _ = _company(uow, orgno)
        claims = _claims_by_invoice(uow, company_id, invoices)
        results = []
        result = StepResult()
        for invoice in invoices:
            claim = claims[invoice]
            if claim.stage is not Stage.COLLECTION_LIST:
                results.append(ApprovalResult(invoice, False, f"not on a collection list (stage {claim.stage.value})"))
                continue
            if claim.paused:
                results.append(ApprovalResult(invoice, False, "paused"))
                continue
            claim.approved_on = on
            result.event(claim, on, "approved", detail="approved for inkasso")
            results.append(ApprovalResult(invoice, True))
        uow.collection.save_claims([c for c in claims.values() if c.collection_id in result.changed])
        ids = {c.collection_id: c.id for c in claims.values() if c.id is not None}
        uow.collection.add_events(company_id, ids, result.events, by=by)
        uow.commit()
        return results


# -- reading ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimView:
    claim: Claim
    interest_accrued: Money
    interest_outstanding: Money


def claims_view(
    uow: UnitOfWork, orgno: str, *, on: date, rates: RateTables, stage: str | None = None
) -> list[ClaimView]:
    with uow:
        _, company_id, agreement = _company(uow, orgno)
        claims = uow.collection.claims(company_id, stage=stage)
    ci = agreement.charge_interest
    return [
        ClaimView(
            c,
            interest_accrued(c, on, rates, charge_interest=ci),
            interest_outstanding(c, on, rates, charge_interest=ci),
        )
        for c in claims
    ]


def simulate(
    uow: UnitOfWork,
    orgno: str,
    start: date,
    end: date,
    *,
    rates: RateTables,
    service: Service,
    before_day: Callable[[date], None] | None = None,
) -> list[DayReport]:
    """Run the days from ``start`` to ``end`` in order (``before_day`` applies that day's outside events)."""
    from datetime import timedelta

    reports = []
    day = start
    while day <= end:
        if before_day is not None:
            before_day(day)
        reports.append(run_day(uow, orgno, day, rates=rates, service=service))
        day += timedelta(days=1)
    return reports


def answer(uow: UnitOfWork, orgno: str, invoice: str, text: str, *, on: date, by: str) -> None:
    """R-ACT-3: the case handler answers a creditor's message; the answer is kept in the claim's history."""
    if not text.strip():
        raise FieldError("text", "an answer needs a text")
    with uow:
        _, company_id, _ = _company(uow, orgno)
        claim = _claims_by_invoice(uow, company_id, [invoice])[invoice]
        assert claim.id is not None
        uow.collection.add_events(
            company_id,
            {claim.collection_id: claim.id},
            [Event(claim.collection_id, on, "answer", None, text.strip())],
            by=by,
        )
        uow.commit()


def closing_costs(uow: UnitOfWork, orgno: str, invoices: Sequence[str]) -> dict[str, Money]:
    """R-ACT-2: what closing these claims would invoice to the creditor (claims in inkasso, as the agreement
    says), so the user is warned before."""
    from krav.domain.collection.actions import costs_on_close

    with uow:
        _, company_id, agreement = _company(uow, orgno)
        claims = _claims_by_invoice(uow, company_id, invoices)
    found = {}
    for number, claim in claims.items():
        costs = costs_on_close(claim, invoice_costs=agreement.invoice_inkasso_costs_on_close)
        if costs is not None:
            found[number] = costs
    return found
