"""The creditor's actions on claims and the case handler's answer (R-ACT-1 … R-ACT-4), and list approval
(R-CLM-4): each a use case in one transaction, with a result per claim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from krav.domain.collection.actions import (
    NEEDS_TEXT,
    OBJECTION_ACTIONS,
    Action,
    ActionResult,
    apply_action,
    costs_on_close,
)
from krav.domain.collection.allocation import Applied
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.events import Event, EventKind
from krav.domain.collection.steps import Day, StepResult
from krav.domain.errors import FieldError, NotFound
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.collection.day import save_changes
from krav.services.ports import AllocationChannel, ClaimFilter, UnitOfWork


def claims_by_invoice(uow: UnitOfWork, company_id: int, invoices: Sequence[str]) -> dict[str, Claim]:
    """The claims of these invoices, or NotFound naming the invoices that have none."""
    found = {c.invoice_number: c for c in uow.collection.claims(company_id, ClaimFilter(invoice_numbers=invoices))}
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
    """R-ACT-1 … R-ACT-4, R-CLM-15: pause, resume, close or message several claims at once, or record or answer
    the debtor's objection (dispute, reject, uphold, each with its text); a result per claim, refused ones with
    their reason (``claim_in_inkasso``, ``claim_closed``, ``not_paused``, ``already_paused``, ``claim_in_legal``,
    ``already_disputed``, ``not_disputed``)."""
    if action in NEEDS_TEXT and not (text and text.strip()):
        what = "a message" if action is Action.MESSAGE else action.value  # R-CLM-15: objections have texts
        raise FieldError("text", f"{what} needs a text: the objection, or the reasons of the answer")
    text = (text or "").strip()
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        agreement = uow.agreements.get(company.id)
        claims = claims_by_invoice(uow, company.id, invoices)
        result = StepResult()
        outcomes = []
        for invoice in invoices:
            claim = claims[invoice]
            before = (claim.fees_outstanding + claim.salaer_outstanding, claim.interest_waived)
            outcome = apply_action(
                action,
                claim,
                on,
                invoice_costs=agreement.invoice_inkasso_costs_on_close,
                text=text,
                rates=rates,
                charge_interest=agreement.charge_interest,
            )
            outcomes.append(outcome)
            if not outcome.accepted:  # refused: the claim, and its history, stay as they were (R-ACT-5)
                continue
            if action is Action.MESSAGE:
                result.event(claim, on, EventKind.MESSAGE, detail=text)
            elif action in OBJECTION_ACTIONS:
                result.event(claim, on, EventKind.OBJECTION, detail=f"{action.value}: {text}")
            else:
                result.event(claim, on, EventKind.ACTION, detail=action.value)
            if action is Action.CLOSE:
                result.event(claim, on, EventKind.CLOSED, detail="closed_by_creditor")
            if action is Action.UPHOLD:
                costs = before[0] - (claim.fees_outstanding + claim.salaer_outstanding)
                interest = claim.interest_waived - before[1]
                if costs.is_positive():  # R-CLM-15
                    result.event(claim, on, EventKind.COSTS_WAIVED, costs, "objection upheld")
                if interest.is_positive():
                    result.event(claim, on, EventKind.INTEREST_WAIVED, interest, "objection upheld")
                result.event(claim, on, EventKind.CLOSED, detail="objection_upheld")
            if outcome.costs_invoiced is not None:
                # R-ACT-2: deducted from the creditor's next settlement, with VAT
                zero = Money.zero(claim.currency)
                uow.collection.add_allocations(
                    company.id,
                    {claim.collection_id: claim.id or 0},
                    [Applied(claim.collection_id, zero, zero, zero, outcome.costs_invoiced, zero, zero)],
                    on=on,
                    channel=AllocationChannel.CREDITOR_COSTS,
                    payment_id=None,
                )
                result.event(claim, on, EventKind.COSTS_INVOICED, outcome.costs_invoiced, "closed in inkasso")
        day = Day(on, agreement, rates, creditor_vat_registered=company.vat_registered)
        save_changes(uow, company, day, claims.values(), result, by=by)
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
        company = uow.companies.get(orgno)
        assert company.id is not None
        claims = claims_by_invoice(uow, company.id, invoices)
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
            if claim.disputed:
                results.append(ApprovalResult(invoice, False, "disputed: the objection must be answered first"))
                continue
            claim.approve(on)
            result.event(claim, on, EventKind.APPROVED, detail="approved for inkasso")
            results.append(ApprovalResult(invoice, True))
        uow.collection.save_claims([c for c in claims.values() if c.collection_id in result.changed])
        ids = {c.collection_id: c.id for c in claims.values() if c.id is not None}
        uow.collection.add_events(company.id, ids, result.events, by=by)
        uow.commit()
        return results


def answer(uow: UnitOfWork, orgno: str, invoice: str, text: str, *, on: date, by: str) -> None:
    """R-ACT-3: the case handler answers a creditor's message; the answer is kept in the claim's history."""
    if not text.strip():
        raise FieldError("text", "an answer needs a text")
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        claim = claims_by_invoice(uow, company.id, [invoice])[invoice]
        assert claim.id is not None
        uow.collection.add_events(
            company.id,
            {claim.collection_id: claim.id},
            [Event(claim.collection_id, on, EventKind.ANSWER, None, text.strip())],
            by=by,
        )
        uow.commit()


def closing_costs(uow: UnitOfWork, orgno: str, invoices: Sequence[str]) -> dict[str, Money]:
    """R-ACT-2: what closing these claims would invoice to the creditor (claims in inkasso, as the agreement
    says), so the user is warned before."""
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        agreement = uow.agreements.get(company.id)
        claims = claims_by_invoice(uow, company.id, invoices)
    found = {}
    for number, claim in claims.items():
        costs = costs_on_close(claim, invoice_costs=agreement.invoice_inkasso_costs_on_close)
        if costs is not None:
            found[number] = costs
    return found
