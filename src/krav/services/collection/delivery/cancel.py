"""``krav letters cancel``: take back a letter that has not gone out (R-SVC-2).

The letter stays in the archive of letters written (letters are append-only) and its deliveries are marked
``cancelled``, so the worker never sends it; its claims go back to where they were before it
(:mod:`krav.domain.collection.cancel`), each with the undoing in its history, and the ledger hears their new
figures. A letter sent, being sent, or that may have gone (uncertain) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from krav.domain.collection.cancel import LetterNotCancellable, cancel_letter
from krav.domain.collection.events import EventKind
from krav.domain.collection.steps import Day, StepResult
from krav.domain.errors import NotFound
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.collection.day import save_changes
from krav.services.ports import ClaimFilter, DeliveryKind, DeliveryStatus, StoredLetter, UnitOfWork

#: Deliveries that went, are going, or may have gone: their letter cannot be taken back.
GONE = frozenset({DeliveryStatus.SENT, DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN})
#: Deliveries still to be made: cancelled with their letter.
WAITING = frozenset({DeliveryStatus.PENDING, DeliveryStatus.FAILED})


@dataclass(frozen=True, slots=True)
class CancelledLetter:
    """A letter taken back: each of its claims (invoice number) with the stage it is back in, and what of its
    fees is no longer owed."""

    letter: StoredLetter
    claims: dict[str, str] = field(default_factory=dict)
    waived: Money = field(default_factory=Money.zero)


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "?"


def cancel(uow: UnitOfWork, orgno: str, letter_id: int, *, on: date, by: str, rates: RateTables) -> CancelledLetter:
    """Cancel the letter ``letter_id`` of the creditor ``orgno`` while none of its deliveries went (pending or
    failed, or bounced with its paper copy not yet printed): its deliveries become ``cancelled`` and its claims go
    back to where they were before it. Refused, with nothing changed, for a letter sent or that may have gone,
    one cancelled already, a kind of letter whose step cannot be undone, or a claim that moved on since."""
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        found = uow.collection.letters(company.id, letter_ids=[letter_id])
        if not found:
            raise NotFound(f"no letter {letter_id} for company {orgno}; see `krav letters list`")
        letter = found[0]
        what = f"letter {letter_id} ({letter.type.value} {letter.n} to debtor {letter.debtor})"
        deliveries = [
            d
            for d in uow.deliveries.deliveries(company_id=company.id)
            if d.kind is DeliveryKind.LETTER and d.ref_id == letter.id
        ]
        gone = [d for d in deliveries if d.status in GONE]
        if gone:
            d = gone[0]
            if d.status is DeliveryStatus.SENT:
                why = f"was sent on {_day(d.sent_on or letter.sent_on)}: a letter that went cannot be cancelled"
            else:
                why = f"may have gone (delivery {d.id} is {d.status.value}): check with the recipient first"
            raise LetterNotCancellable(f"{what} {why}")
        waiting = [d for d in deliveries if d.status in WAITING]
        if not waiting:
            raise LetterNotCancellable(f"{what} is cancelled already")
        agreement = uow.agreements.get(company.id)
        claims = uow.collection.claims(
            company.id, ClaimFilter(collection_ids=[line.collection_id for line in letter.lines])
        )
        result = StepResult()
        stages: dict[str, str] = {}
        waived = Money.zero(letter.lines[0].principal.currency if letter.lines else "NOK")
        for claim in claims:
            taken = cancel_letter(claim, letter.type, letter.written, letter.deadline)
            waived += taken
            stages[claim.invoice_number] = claim.stage.value
            detail = f"{letter.type.value} {letter.n} cancelled before it was sent; back in stage {claim.stage.value}"
            result.event(claim, on, EventKind.DELIVERY, detail=detail)
            result.event(claim, on, EventKind.STAGE, detail=claim.stage.value)
            if taken.is_positive():
                result.event(claim, on, EventKind.COSTS_WAIVED, taken, f"charged by {letter.type.value} {letter.n}")
        for d in waiting:
            if not uow.deliveries.set_status(
                d.id, DeliveryStatus.CANCELLED, expect=d.status, error=f"cancelled by {by}"
            ):
                raise LetterNotCancellable(f"{what} is being sent right now: see `krav outbox status`")
        day = Day(on, agreement, rates, creditor_vat_registered=company.vat_registered)
        save_changes(uow, company, day, claims, result, by=by)
        uow.commit()
        return CancelledLetter(letter, stages, waived)
