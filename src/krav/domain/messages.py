"""What the ledger and the collection service tell each other: the contract between the two sides.

The built-in ledger and an external ERP (through the REST API) speak these same messages. Nothing on the
collection side reads ledger tables, and the ledger learns about claims only from the messages back.

Ledger → service: :class:`ItemSubmitted`, :class:`DirectPaymentReported`, :class:`CreditReported`,
:class:`StatusChangeRequested`, :class:`MessageSent`.
Service → ledger: :class:`ClaimChanged`, :class:`LetterSent`, :class:`FeeOrInterestCharged`,
:class:`SettlementIssued`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from krav.domain.money import Money


class MessageKind(StrEnum):
    """What a message is; stored with it in the message table."""

    ITEM_SUBMITTED = "item_submitted"
    DIRECT_PAYMENT = "direct_payment"
    CREDIT = "credit"
    STATUS_CHANGE = "status_change"
    MESSAGE = "message"
    CLAIM_CHANGED = "claim_changed"
    LETTER_SENT = "letter_sent"
    FEE_OR_INTEREST = "fee_or_interest"
    SETTLEMENT = "settlement"


class Direction(StrEnum):
    """Which side a message goes to."""

    TO_SERVICE = "to_service"
    TO_LEDGER = "to_ledger"


#: The messages the service sends the ledger; every other kind goes from the ledger to the service.
TO_LEDGER_KINDS = frozenset(
    {MessageKind.CLAIM_CHANGED, MessageKind.LETTER_SENT, MessageKind.FEE_OR_INTEREST, MessageKind.SETTLEMENT}
)


def direction_of(kind: MessageKind) -> Direction:
    """The side a message of ``kind`` goes to.

    >>> direction_of(MessageKind.SETTLEMENT)
    <Direction.TO_LEDGER: 'to_ledger'>
    >>> direction_of(MessageKind.DIRECT_PAYMENT)
    <Direction.TO_SERVICE: 'to_service'>
    """
    return Direction.TO_LEDGER if kind in TO_LEDGER_KINDS else Direction.TO_SERVICE


@dataclass(frozen=True, slots=True)
class DebtorData:
    """The debtor as the ledger knows them when an item is submitted; the claim keeps this copy."""

    number: str
    name: str
    kind: str
    orgno: str | None
    street: str | None
    postcode: str | None
    city: str | None
    country: str
    email: str | None
    language: str = "nb"
    email_for_letters: bool = False  # the debtor gave ``email`` for letters (R-SVC-2)


@dataclass(frozen=True, slots=True)
class ItemSubmitted:
    """An open item sent to collection (R-VAL-2): the service creates a claim from it."""

    company: str
    collection_id: str
    invoice_number: str
    invoice_date: date
    due_date: date
    principal: Money
    debtor: DebtorData
    submitted_on: date
    kind: MessageKind = field(default=MessageKind.ITEM_SUBMITTED, init=False)


@dataclass(frozen=True, slots=True)
class DirectPaymentReported:
    """R-LED-5: a *payment* posting in the ledger settled (part of) an item with a collection ID."""

    company: str
    collection_id: str
    amount: Money
    paid_on: date
    voucher_number: int
    kind: MessageKind = field(default=MessageKind.DIRECT_PAYMENT, init=False)

    @property
    def on(self) -> date:
        """The day the payment counts from."""
        return self.paid_on


@dataclass(frozen=True, slots=True)
class CreditReported:
    """R-LED-5: a *credit* posting in the ledger settled (part of) an item with a collection ID."""

    company: str
    collection_id: str
    amount: Money
    credited_on: date
    voucher_number: int
    kind: MessageKind = field(default=MessageKind.CREDIT, init=False)

    @property
    def on(self) -> date:
        """The day the credit counts from."""
        return self.credited_on


@dataclass(frozen=True, slots=True)
class StatusChangeRequested:
    """The creditor asks to pause, resume or close a claim (R-ACT-1, R-ACT-2)."""

    company: str
    collection_id: str
    action: str
    requested_on: date
    by: str
    kind: MessageKind = field(default=MessageKind.STATUS_CHANGE, init=False)


@dataclass(frozen=True, slots=True)
class MessageSent:
    """Free text from the creditor to the case handler (R-ACT-3)."""

    company: str
    collection_id: str
    text: str
    sent_on: date
    by: str
    kind: MessageKind = field(default=MessageKind.MESSAGE, init=False)


@dataclass(frozen=True, slots=True)
class ClaimChanged:
    """The service tells the ledger a claim's stage or outstanding amounts changed."""

    company: str
    collection_id: str
    stage: str
    principal_outstanding: Money
    fee_outstanding: Money
    interest_outstanding: Money
    changed_on: date
    kind: MessageKind = field(default=MessageKind.CLAIM_CHANGED, init=False)


@dataclass(frozen=True, slots=True)
class LetterSent:
    company: str
    collection_ids: tuple[str, ...]
    letter_type: str
    sent_on: date
    kind: MessageKind = field(default=MessageKind.LETTER_SENT, init=False)


@dataclass(frozen=True, slots=True)
class FeeOrInterestCharged:
    company: str
    collection_id: str
    fee: Money
    interest: Money
    charged_on: date
    kind: MessageKind = field(default=MessageKind.FEE_OR_INTEREST, init=False)


@dataclass(frozen=True, slots=True)
class SettlementLine:
    collection_id: str
    principal: Money
    fee: Money
    interest: Money
    costs: Money
    costs_vat: Money
    overpayment: Money


@dataclass(frozen=True, slots=True)
class SettlementIssued:
    """R-LED-7: the service remitted money; the ledger posts it with voucher type *settlement*."""

    company: str
    settlement_id: str
    remitted_on: date
    lines: tuple[SettlementLine, ...]
    kind: MessageKind = field(default=MessageKind.SETTLEMENT, init=False)


LedgerReport = DirectPaymentReported | CreditReported
#: What the service tells the ledger.
ServiceReport = ClaimChanged | LetterSent | FeeOrInterestCharged | SettlementIssued
Message = ItemSubmitted | DirectPaymentReported | CreditReported | StatusChangeRequested | MessageSent | ServiceReport
