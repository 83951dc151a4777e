"""Read-side views for the CLI, the API and the portal: no face touches a repository.

Each query opens its own unit of work, reads, and returns typed frozen views; nothing here writes (what archives a
document the first time it is asked for is a use case: :mod:`krav.services.collection.delivery.archive`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.interest import interest_accrued, interest_outstanding
from krav.domain.collection.letters import Letter, Recipient
from krav.domain.collection.progress import Progress, claim_progress
from krav.domain.errors import NotFound
from krav.domain.ledger.accounts import Account
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.money import Money
from krav.domain.party import Company
from krav.domain.rates import RateTables
from krav.services.collection import delivery, matching, payments
from krav.services.collection.delivery.waiting import HeldClaim, held_claims
from krav.services.collection.interest_many import claims_interest
from krav.services.collection.matching import QueuedPayment
from krav.services.ports import (
    ClaimFilter,
    ClientPayment,
    Delivery,
    DeliveryStatus,
    HistoryEntry,
    Service,
    StoredLetter,
    StoredSettlement,
    UnitOfWork,
    company_and_id,
    company_id,
)

# -- companies ----------------------------------------------------------------------------------------------------


def companies(uow: UnitOfWork) -> list[Company]:
    """Every registered creditor company."""
    with uow:
        return uow.companies.all()


def company(uow: UnitOfWork, orgno: str) -> Company | None:
    """The registered company with this organisation number, or None."""
    with uow:
        try:
            return uow.companies.get(orgno)
        except NotFound:
            return None


def voucher_types(uow: UnitOfWork, orgno: str) -> list[VoucherType]:
    """A company's voucher types with what each means to collection (R-LED-2), by code."""
    with uow:
        return sorted(uow.ledger.voucher_types(company_id(uow, orgno)).values(), key=lambda v: v.code)


def accounts(uow: UnitOfWork, orgno: str) -> list[Account]:
    """A company's chart of accounts, by number."""
    with uow:
        return sorted(uow.ledger.accounts(company_id(uow, orgno)).values(), key=lambda a: a.number)


# -- claims -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """A claim's state as one flat record: what the faces show and export, read off the aggregate."""

    company_id: int
    collection_id: str
    invoice_number: str
    invoice_date: date
    due_date: date
    principal: Money
    submitted_on: date
    debtor: Recipient
    rule_set: str
    id: int | None
    stage: Stage
    paused: bool
    paused_on: date | None
    closed_reason: ClosedReason | None
    closed_on: date | None
    next_action_on: date | None
    principal_outstanding: Money
    fees_charged: Money
    fees_outstanding: Money
    fee_letters: int
    interest_booked: Money
    segment_start: date | None
    interest_paid: Money
    interest_waived: Money
    salaer_charged: Money
    salaer_outstanding: Money
    salaer_level: int
    salaer_nominal: Money
    compensation: Money
    compensation_claimed: bool
    overpaid: Money
    first_letter_on: date | None
    reminder_deadline: date | None
    notice_sent_on: date | None
    notice_deadline: date | None
    last_deadline: date | None
    interest_note_due: bool
    interest_note_on: date | None
    paid_confirmation_due: bool
    listed_on: date | None
    transfer_on: date | None
    approved_on: date | None
    inkasso_on: date | None
    case_number: str | None
    demand_deadline: date | None
    legal_notice_on: date | None
    legal_deadline: date | None
    disputed: bool = False
    disputed_on: date | None = None
    objection_answer_due: str | None = None

    @classmethod
    def of(cls, c: Claim) -> ClaimRecord:
        d, listing, case = c.deadlines, c.listing, c.case
        return cls(
            company_id=c.company_id,
            collection_id=c.collection_id,
            invoice_number=c.invoice_number,
            invoice_date=c.invoice_date,
            due_date=c.due_date,
            principal=c.principal,
            submitted_on=c.submitted_on,
            debtor=c.debtor,
            rule_set=c.rule_set,
            id=c.id,
            stage=c.stage,
            paused=c.paused,
            paused_on=c.paused_on,
            closed_reason=c.closed_reason,
            closed_on=c.closed_on,
            next_action_on=c.next_action_on,
            principal_outstanding=c.principal_outstanding,
            fees_charged=c.fees_charged,
            fees_outstanding=c.fees_outstanding,
            fee_letters=c.fee_letters,
            interest_booked=c.interest_booked,
            segment_start=c.segment_start,
            interest_paid=c.interest_paid,
            interest_waived=c.interest_waived,
            salaer_charged=c.salaer_charged,
            salaer_outstanding=c.salaer_outstanding,
            salaer_level=case.salaer_level,
            salaer_nominal=case.salaer_nominal,
            compensation=c.compensation_state.compensation,
            compensation_claimed=c.compensation_state.compensation_claimed,
            overpaid=c.overpaid,
            first_letter_on=d.first_letter_on,
            reminder_deadline=d.reminder_deadline,
            notice_sent_on=d.notice_sent_on,
            notice_deadline=d.notice_deadline,
            last_deadline=d.last_deadline,
            interest_note_due=c.interest_note_due,
            interest_note_on=d.interest_note_on,
            paid_confirmation_due=c.paid_confirmation_due,
            listed_on=listing.listed_on,
            transfer_on=listing.transfer_on,
            approved_on=listing.approved_on,
            inkasso_on=case.inkasso_on,
            case_number=case.case_number,
            demand_deadline=case.demand_deadline,
            legal_notice_on=case.legal_notice_on,
            legal_deadline=case.legal_deadline,
            disputed=c.disputed,
            disputed_on=c.objection_state.disputed_on,
            objection_answer_due=c.objection_answer_due.value if c.objection_answer_due else None,
        )


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim with its interest worked out as of the day asked."""

    claim: ClaimRecord
    interest_accrued: Money
    interest_outstanding: Money
    progress: Progress  # its next step and when, or what holds it

    @property
    def owed(self) -> Money:
        """Everything the claim owes on the day asked: principal, fees, interest to that day and salær."""
        c = self.claim
        return c.principal_outstanding + c.fees_outstanding + self.interest_outstanding + c.salaer_outstanding


def claims_view(
    uow: UnitOfWork,
    orgno: str,
    *,
    on: date,
    rates: RateTables,
    stage: Stage | None = None,
    include_closed: bool = True,
) -> list[ClaimView]:
    """A creditor's claims (in one stage, or all; without the closed ones unless ``include_closed``) with their
    interest as of ``on`` and where each is going next."""
    with uow:
        cid = company_id(uow, orgno)
        charge = uow.agreements.get(cid).charge_interest
        claims = uow.collection.claims(cid, ClaimFilter(stage=stage))
    shown = [c for c in claims if include_closed or c.stage is not Stage.CLOSED]
    interest = claims_interest(shown, on, rates, charge_interest=charge)
    return [
        ClaimView(ClaimRecord.of(c), accrued, outstanding, claim_progress(c))
        for c, accrued, outstanding in zip(shown, interest.accrued, interest.outstanding, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class ClaimDetail:
    """A claim with its whole story: figures and next step as of a day, every event, every letter."""

    view: ClaimView
    history: tuple[HistoryEntry, ...]
    letters: tuple[StoredLetter, ...]


def claim_detail(uow: UnitOfWork, company: int, ref: str, *, on: date, rates: RateTables) -> ClaimDetail:
    """One claim of the company with id ``company``, by collection ID or invoice number, with its history and its
    letters, read in one transaction; NotFound when there is no such claim."""
    with uow:
        by_id = uow.collection.claim(company, ref)
        found = [by_id] if by_id is not None else uow.collection.claims(company, ClaimFilter(invoice_numbers=[ref]))
        if not found or found[0].id is None:
            raise NotFound(f"no claim {ref}")
        return claim_detail_in(uow, company, found[0], on=on, rates=rates)


def claim_detail_in(uow: UnitOfWork, company: int, c: Claim, *, on: date, rates: RateTables) -> ClaimDetail:
    """The detail of claim ``c`` of the company with id ``company``, read in ``uow``'s open transaction."""
    assert c.id is not None
    charge = uow.agreements.get(company).charge_interest
    history = uow.collection.history(company, c.id)
    letters = uow.collection.letters(company, claim_id=c.id)
    view = ClaimView(
        ClaimRecord.of(c),
        interest_accrued(c, on, rates, charge_interest=charge),
        interest_outstanding(c, on, rates, charge_interest=charge),
        claim_progress(c),
    )
    return ClaimDetail(view, tuple(history), tuple(letters))


def claim_history(uow: UnitOfWork, orgno: str, invoice: str) -> list[HistoryEntry]:
    """The append-only history of the claim for ``invoice`` — its invoice number, or its collection ID as
    ``krav claims list`` shows it (R-ACT-5), oldest first."""
    with uow:
        cid = company_id(uow, orgno)
        claims = uow.collection.claims(cid, ClaimFilter(invoice_numbers=[invoice])) or uow.collection.claims(
            cid, ClaimFilter(collection_ids=[invoice])
        )
        if not claims or claims[0].id is None:
            raise NotFound(f"no claim for invoice or collection ID {invoice}")
        return uow.collection.history(cid, claims[0].id)


# -- letters ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterView:
    """A letter as sent (``stored``) and as the debtor reads it (``letter``: sender, service and recipient)."""

    letter: Letter
    stored: StoredLetter


def letters(uow: UnitOfWork, orgno: str, debtor: str | None = None) -> list[StoredLetter]:
    """The letters sent for a creditor (or to one of its debtors), by date, debtor and number."""
    with uow:
        return uow.collection.letters(company_id(uow, orgno), debtor=debtor)


def letter(uow: UnitOfWork, orgno: str, letter_id: int, service: Service) -> LetterView:
    """One letter of a creditor, composed as the debtor got it; NotFound when the creditor sent no such letter."""
    with uow:
        company, cid = company_and_id(uow, orgno)
        found = uow.collection.letters(cid, letter_ids=[letter_id])
        if not found:
            raise NotFound(f"no letter {letter_id} for company {orgno}")
        return LetterView(delivery.compose_letter(uow, company, found[0], service), found[0])


# -- collection lists ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListView:
    """A collection list (R-CLM-4): its day, the invoices of its claims, and its id."""

    id: int
    list_date: date
    invoices: tuple[str, ...]


def collection_lists(uow: UnitOfWork, orgno: str) -> list[ListView]:
    """A creditor's collection lists, oldest first."""
    with uow:
        return [
            ListView(list_id, day, tuple(invoices))
            for day, invoices, list_id in uow.collection.lists(company_id(uow, orgno))
        ]


# -- money out and in ---------------------------------------------------------------------------------------------


def settlements(uow: UnitOfWork, orgno: str) -> list[StoredSettlement]:
    """The settlements remitted to a creditor (R-BANK-3)."""
    with uow:
        return uow.collection.settlements(company_id(uow, orgno))


def unmatched_payments(uow: UnitOfWork) -> list[ClientPayment]:
    """The manual-matching queue: client-account payments that found no letter by themselves (R-CLM-7)."""
    return payments.unmatched(uow)


def manual_matching(uow: UnitOfWork, *, rates: RateTables) -> list[QueuedPayment]:
    """The manual-matching queue, each payment with the open claims it most likely pays, why, and the KID to
    assign it with (R-CLM-7)."""
    return matching.manual_matching(uow, rates=rates)


# -- the outbox ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """Deliveries counted by status, the ones a person must look at (failed or uncertain), and the claims that
    wait because their letter could not be sent (R-SVC-2), the longest waiting first."""

    counts: Mapping[str, int]
    problems: tuple[Delivery, ...]
    held: tuple[HeldClaim, ...] = ()


def outbox_status(uow: UnitOfWork) -> OutboxStatus:
    """Where the outbox stands: how many deliveries in each status, which failed or may have left, and which
    claims wait for a letter that could not be sent, since when and why."""
    counts = delivery.status(uow)
    with uow:
        problems = uow.deliveries.deliveries(statuses=[DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN])
        held = held_claims(uow)
    return OutboxStatus(counts, tuple(problems), tuple(held))
