"""Claims (krav) and their stages (DOMAIN.md section 6).

A claim is the collection side's copy of a submitted open item: the principal, the debtor as they were at
submission, and everything the engine charged, received and sent since. Stages run
``reminder → notice → collection_list → inkasso → legal``; ``closed`` carries a reason; ``paused`` is a flag on
any stage before inkasso. ``new`` is a claim submitted but not yet lettered (its first letter goes out in the
same daily run that submits it, R-CLM-2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from krav.domain.collection.letters import Recipient
from krav.domain.money import Money


class Stage(StrEnum):
    NEW = "new"
    REMINDER = "reminder"
    NOTICE = "notice"
    COLLECTION_LIST = "collection_list"
    INKASSO = "inkasso"
    LEGAL = "legal"
    CLOSED = "closed"


class ClosedReason(StrEnum):
    PAID = "paid"
    CREDITED = "credited"
    CLOSED_BY_CREDITOR = "closed_by_creditor"
    PAUSE_EXPIRED = "pause_expired"


#: Stages in which the creditor can no longer pause or resume (R-ACT-4).
IN_INKASSO = frozenset({Stage.INKASSO, Stage.LEGAL})


def _zero() -> Money:
    return Money.zero()


@dataclass
class Claim:
    """A claim and its running state. Mutable: the engine changes it and records each change as an event."""

    company_id: int
    collection_id: str
    invoice_number: str
    invoice_date: date
    due_date: date
    principal: Money
    submitted_on: date
    debtor: Recipient
    rule_set: str = "inkassoloven-1988"
    id: int | None = None
    stage: Stage = Stage.NEW
    paused: bool = False
    paused_on: date | None = None
    closed_reason: ClosedReason | None = None
    closed_on: date | None = None
    next_action_on: date | None = None
    principal_outstanding: Money = field(default_factory=_zero)
    fees_charged: Money = field(default_factory=_zero)
    fees_outstanding: Money = field(default_factory=_zero)
    fee_letters: int = 0
    interest_booked: Money = field(default_factory=_zero)
    segment_start: date | None = None
    interest_paid: Money = field(default_factory=_zero)
    interest_waived: Money = field(default_factory=_zero)
    salaer_charged: Money = field(default_factory=_zero)
    salaer_outstanding: Money = field(default_factory=_zero)
    salaer_level: int = 0  # 0 none, 1 light, 2 heavy (R-CLM-5)
    salaer_nominal: Money = field(default_factory=_zero)  # the table's salær before any B2B set-off (R-CLM-11)
    compensation: Money = field(default_factory=_zero)  # R-CLM-11: what of the compensation is left to set off
    compensation_claimed: bool = False
    overpaid: Money = field(default_factory=_zero)
    first_letter_on: date | None = None
    reminder_deadline: date | None = None
    notice_sent_on: date | None = None
    notice_deadline: date | None = None
    last_deadline: date | None = None
    interest_note_due: bool = False
    interest_note_on: date | None = None
    paid_confirmation_due: bool = False
    listed_on: date | None = None
    transfer_on: date | None = None
    approved_on: date | None = None
    inkasso_on: date | None = None
    case_number: str | None = None
    demand_deadline: date | None = None
    legal_notice_on: date | None = None
    legal_deadline: date | None = None

    def __post_init__(self) -> None:
        if self.segment_start is None:
            self.segment_start = self.due_date
        if self.principal_outstanding.is_zero() and self.stage is Stage.NEW and self.principal.is_positive():
            self.principal_outstanding = self.principal

    @property
    def currency(self) -> str:
        return self.principal.currency

    @property
    def is_closed(self) -> bool:
        return self.stage is Stage.CLOSED

    @property
    def is_open(self) -> bool:
        return self.stage is not Stage.CLOSED

    @property
    def costs_outstanding(self) -> Money:
        """Fees and salær still owed (R-CLM-7: what a client-account payment covers first)."""
        return self.fees_outstanding + self.salaer_outstanding

    def stored_as(self, claim_id: int) -> Claim:
        """This claim as storage numbered it."""
        self.id = claim_id
        return self

    def approve(self, on: date) -> None:
        """R-CLM-4: the creditor approves the listed claim for inkasso; it moves in the day's run."""
        self.approved_on = on

    def close(self, reason: ClosedReason, on: date) -> None:
        self.stage = Stage.CLOSED
        self.closed_reason = reason
        self.closed_on = on
        self.paused = False
        self.next_action_on = None
        self.interest_note_due = False


def letter_order(claim: Claim) -> tuple[date, str, str]:
    """R-CLM-1: claims on a letter run by due date, then invoice number; the first carries the fee."""
    return (claim.due_date, claim.invoice_number, claim.collection_id)
