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

from krav.domain.money import Money


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
    kind: str = field(default="item_submitted", init=False)


@dataclass(frozen=True, slots=True)
class DirectPaymentReported:
    """R-LED-5: a *payment* posting in the ledger settled (part of) an item with a collection ID."""

    company: str
    collection_id: str
    amount: Money
    paid_on: date
    voucher_number: int
    kind: str = field(default="direct_payment", init=False)


@dataclass(frozen=True, slots=True)
class CreditReported:
    """R-LED-5: a *credit* posting in the ledger settled (part of) an item with a collection ID."""

    company: str
    collection_id: str
    amount: Money
    credited_on: date
    voucher_number: int
    kind: str = field(default="credit", init=False)


@dataclass(frozen=True, slots=True)
class StatusChangeRequested:
    """The creditor asks to pause, resume or close a claim (R-ACT-1, R-ACT-2)."""

    company: str
    collection_id: str
    action: str
    requested_on: date
    by: str
    kind: str = field(default="status_change", init=False)


@dataclass(frozen=True, slots=True)
class MessageSent:
    """Free text from the creditor to the case handler (R-ACT-3)."""

    company: str
    collection_id: str
    text: str
    sent_on: date
    by: str
    kind: str = field(default="message", init=False)


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
    kind: str = field(default="claim_changed", init=False)


@dataclass(frozen=True, slots=True)
class LetterSent:
    company: str
    collection_ids: tuple[str, ...]
    letter_type: str
    sent_on: date
    kind: str = field(default="letter_sent", init=False)


@dataclass(frozen=True, slots=True)
class FeeOrInterestCharged:
    company: str
    collection_id: str
    fee: Money
    interest: Money
    charged_on: date
    kind: str = field(default="fee_or_interest", init=False)


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
    kind: str = field(default="settlement", init=False)


LedgerReport = DirectPaymentReported | CreditReported
