"""The proposal and submitting items to collection (R-VAL-1 … R-VAL-3, DOMAIN.md section 5).

The ledger side validates and submits: it gives the item its collection ID and sends an *item submitted* message
with the debtor's data as of that moment; the collection service makes the claim from it when the unit of work
commits (:mod:`krav.services.relay`), so an item is either submitted with its claim, or not at all. The
conditional update of the item's collection ID makes a second submission, concurrent or not, a no-op (R-VAL-3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from krav.domain.agreement import Agreement, effective_days_before_transfer, sendable_from
from krav.domain.frozen import builder
from krav.domain.ledger.open_items import OpenItem
from krav.domain.messages import DebtorData, ItemSubmitted
from krav.domain.party import Company, Customer
from krav.domain.validation import Candidate, Reason, validate_items
from krav.services.ports import LikelyValid, UnitOfWork, many_objects


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """An item of the proposal with its validation status: valid when it has no reasons."""

    item: OpenItem
    customer: Customer
    reasons: tuple[Reason, ...]
    # the first day the item may be sent as far as the days before transfer go (R-AGR-1): its due date plus the
    # agreement's days; None without a due date
    sendable_from: date | None = None

    @property
    def valid(self) -> bool:
        return not self.reasons


# the proposal's rows, built many at a time (krav.domain.frozen)
_proposal_row = builder(ProposalRow)


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """What happened to one item asked to be submitted."""

    item_id: int
    submitted: bool
    invoice: str | None = None
    customer: str | None = None
    collection_id: str | None = None
    reasons: tuple[Reason, ...] = ()
    error: str | None = None


def _company(uow: UnitOfWork, orgno: str) -> tuple[Company, int, Agreement]:
    company = uow.companies.get(orgno)
    assert company.id is not None
    return company, company.id, uow.agreements.get(company.id)


def proposal(
    uow: UnitOfWork, orgno: str, *, today: date, customer: str | None = None, status: str = "all"
) -> list[ProposalRow]:
    """R-VAL-2: every open item past due on ``today`` and not yet submitted, with every failing reason (R-VAL-1).

    One query selects the candidates; ``status`` filters ``all``, ``valid`` or ``invalid``.
    """
    if status not in ("all", "valid", "invalid"):
        raise ValueError(f"status must be all, valid or invalid, not {status!r}")
    with uow, many_objects():
        _, company_id, agreement = _company(uow, orgno)
        candidates = uow.ledger.candidates(company_id, today=today, customer=customer)
        # R-AGR-1's first day to send, once per due date (a day's items share it)
        sendable = {due: sendable_from(due, agreement) for due in {c.item.due_date for c in candidates}}
        rows = [
            _proposal_row(c.item, c.customer, reasons, sendable[c.item.due_date])
            for c, reasons in zip(candidates, validate_items(candidates, agreement, today), strict=True)
        ]
    if status == "valid":
        return [r for r in rows if r.valid]
    if status == "invalid":
        return [r for r in rows if not r.valid]
    return rows


def _debtor(customer: Customer) -> DebtorData:
    return DebtorData(
        number=customer.number,
        name=customer.name,
        kind=customer.kind.value,
        orgno=customer.orgno,
        street=customer.address.street,
        postcode=customer.address.postcode,
        city=customer.address.city,
        country=customer.address.country,
        email=customer.email,
        language=customer.language,
        email_for_letters=bool(customer.email_for_letters),
    )


def submit_candidates(
    uow: UnitOfWork,
    company: Company,
    agreement: Agreement,
    candidates: Sequence[Candidate],
    *,
    today: date,
    valid_already: bool = False,
) -> list[SubmitResult]:
    """Submit the valid candidates inside the caller's unit of work; refuse the others with their reasons.
    ``valid_already``: the caller validated every candidate on ``today`` in this unit of work and found each valid
    (:func:`valid_candidates`), so they are not validated again."""
    assert company.id is not None
    found = [()] * len(candidates) if valid_already else validate_items(candidates, agreement, today)
    reasons: dict[int, tuple[Reason, ...]] = {c.item.id: r for c, r in zip(candidates, found, strict=True)}
    valid = [c for c in candidates if not reasons[c.item.id]]
    numbers = uow.ledger.next_numbers(company.id, "collection", len(valid))
    wanted = {c.item.id: f"K{company.id}-{n:06d}" for c, n in zip(valid, numbers, strict=True)}
    took = uow.ledger.set_collection_ids(company.id, wanted)
    results: list[SubmitResult] = []
    messages: list[ItemSubmitted] = []
    for candidate in candidates:
        item = candidate.item
        if reasons[item.id]:
            results.append(SubmitResult(item.id, False, item.number, item.customer, reasons=reasons[item.id]))
        elif item.id not in took:
            results.append(
                SubmitResult(item.id, False, item.number, item.customer, error="submitted already by someone else")
            )
        else:
            assert item.due_date is not None
            messages.append(
                ItemSubmitted(
                    company=company.orgno,
                    collection_id=wanted[item.id],
                    invoice_number=item.number,
                    invoice_date=item.invoice_date,
                    due_date=item.due_date,
                    principal=item.remaining,
                    debtor=_debtor(candidate.customer),
                    submitted_on=today,
                )
            )
            results.append(SubmitResult(item.id, True, item.number, item.customer, wanted[item.id]))
    uow.outbox.add_many(company.id, messages, on=today)
    return results


def submit(uow: UnitOfWork, orgno: str, item_ids: Sequence[int], *, today: date) -> list[SubmitResult]:
    """R-VAL-2: submit the chosen items (several at once), each result reported per item; invalid ones are
    refused naming their reasons; an unknown item, or one of another company, is reported as not found."""
    with uow:
        company, company_id, agreement = _company(uow, orgno)
        candidates = uow.ledger.candidates(company_id, today=today, ids=item_ids)
        found = {c.item.id for c in candidates}
        results = submit_candidates(uow, company, agreement, candidates, today=today)
        for item_id in item_ids:
            if item_id not in found:
                results.append(SubmitResult(item_id, False, error=f"no open item {item_id} for company {orgno}"))
        uow.commit()
    order = {item_id: n for n, item_id in enumerate(item_ids)}
    return sorted(results, key=lambda r: order.get(r.item_id, len(order)))


def valid_candidates(uow: UnitOfWork, company: Company, agreement: Agreement, *, today: date) -> list[Candidate]:
    """Every valid item of the proposal, in its order: the candidates narrowed in SQL by what the rules hold as
    predicates (one query), every rule of R-VAL-1 then checked over those rows."""
    assert company.id is not None
    narrowing = LikelyValid(
        due_by=today - timedelta(days=effective_days_before_transfer(agreement)),
        minimum_ore=agreement.minimum_amount.ore,
    )
    with many_objects():
        candidates = uow.ledger.candidates(company.id, today=today, likely_valid=narrowing)
        return [
            c
            for c, reasons in zip(candidates, validate_items(candidates, agreement, today), strict=True)
            if not reasons
        ]


def submit_all_valid(uow: UnitOfWork, orgno: str, *, today: date) -> list[SubmitResult]:
    """R-VAL-2: submit every valid item of the proposal at once (``krav submit --all-valid``), in the proposal's
    order; an empty list when none is valid."""
    with uow:
        company, _, agreement = _company(uow, orgno)
        valid = valid_candidates(uow, company, agreement, today=today)
        order = {c.item.id: n for n, c in enumerate(valid)}
        # numbered in the items' order, as items chosen by id are (:func:`submit`)
        ordered = sorted(valid, key=lambda c: c.item.id)
        results = submit_candidates(uow, company, agreement, ordered, today=today, valid_already=True)
        uow.commit()
    return sorted(results, key=lambda r: order[r.item_id])


def auto_transfer_in(uow: UnitOfWork, company: Company, *, today: date) -> list[SubmitResult]:
    """R-VAL-2 auto-transfer inside the caller's unit of work: submit every valid item of the proposal."""
    assert company.id is not None
    agreement = uow.agreements.get(company.id)
    if not agreement.active or not agreement.auto_transfer:
        return []
    valid = valid_candidates(uow, company, agreement, today=today)
    return submit_candidates(uow, company, agreement, valid, today=today, valid_already=True)
