"""The bodies of claims, letters, collection lists, money in and out, and runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field

from krav.domain.collection.actions import Action
from krav.entrypoints.api.schemas.base import (
    Day,
    In,
    Orgno,
    Out,
)

# -- claims -------------------------------------------------------------------------------------------------------


class NextOut(Out):
    step: str | None
    on: date | None
    held_by: str | None


class ClaimOut(Out):
    collection_id: str
    invoice_number: str
    customer: str
    debtor_name: str
    stage: str
    paused: bool
    disputed: bool
    closed_reason: str | None
    closed_on: date | None
    invoice_date: date
    due_date: date
    submitted_on: date
    principal: str
    principal_outstanding: str
    fees_charged: str
    fees_outstanding: str
    interest_accrued: str
    interest_outstanding: str
    salaer_charged: str
    salaer_outstanding: str
    owed: str
    next: NextOut


class HistoryOut(Out):
    date: date
    kind: str
    by: str
    amount: str | None
    detail: str
    at: datetime


class LetterLineOut(Out):
    collection_id: str
    invoice_number: str
    principal: str
    fee: str
    interest: str
    salaer: str


class LetterOut(Out):
    id: int
    debtor: str
    n: int
    type: str
    sent_on: date
    deadline: date | None
    kid: str | None
    account: str | None
    total: str
    status: str | None
    channel: str | None
    lines: list[LetterLineOut]


class ClaimDetailOut(Out):
    claim: ClaimOut
    history: list[HistoryOut]
    letters: list[LetterOut]


class ClaimActionIn(In):
    action: Action
    invoices: Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]], Field(min_length=1, max_length=1000)]
    text: Annotated[str | None, Field(default=None, max_length=2000)] = None
    on: Day | None = None
    confirm_costs: bool = Field(
        default=False, description="Close claims in inkasso even though their costs so far are invoiced."
    )


class ActionResultOut(Out):
    collection_id: str
    invoice_number: str
    action: str
    accepted: bool
    reason: str | None
    message: dict[str, str]
    costs_invoiced: str | None


class ImportedClaimOut(Out):
    invoice: str
    customer: str
    collection_id: str
    stage: str
    earlier_id: str


class ClaimImportOut(Out):
    filename: str
    already_imported: bool
    claims: list[ImportedClaimOut]


class CollectionListOut(Out):
    id: int
    date: date
    invoices: list[str]


class ApprovalOut(Out):
    invoice: str
    approved: bool
    reason: str | None


class ApproveIn(In):
    invoices: Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]], Field(min_length=1, max_length=1000)]
    on: Day | None = None


# -- money --------------------------------------------------------------------------------------------------------


class SettlementOut(Out):
    reference: str
    settled_on: date
    principal: str
    fee: str
    interest: str
    overpaid: str
    costs: str
    costs_vat: str
    total: str


class PostingLineOut(Out):
    account: str
    amount: str = Field(description="Debit positive, credit negative.")
    customer: str | None
    settles: list[str]
    text: str | None


class VoucherOut(Out):
    number: int
    voucher_type: int
    date: date
    text: str
    lines: list[PostingLineOut]


class ClientPaymentOut(Out):
    id: int
    received_on: date
    ordered_on: date | None
    amount: str
    kid: str | None
    payer: str | None
    message: str | None = Field(description="What the payer wrote with the payment.")
    reference: str
    filename: str | None
    status: str
    reason: str | None


class SuggestionOut(Out):
    company: str
    collection_id: str
    invoice_number: str
    debtor: str
    debtor_name: str
    balance: str
    kid: str = Field(description="Assign the payment with this KID.")
    points: int
    reasons: list[str] = Field(description="Why, in bokmål.")


class QueuedPaymentOut(ClientPaymentOut):
    suggestions: list[SuggestionOut]


class AssignIn(In):
    kid: Annotated[str | None, Field(default=None, pattern=r"^\d{2,25}$")] = None
    company: Orgno | None = None
    invoice: Annotated[str | None, Field(default=None, max_length=40)] = None


class PaymentOutcomeOut(Out):
    reference: str
    amount: str
    paid_on: date
    kid: str | None
    matched: bool
    reason: str | None
    duplicate: bool


class PaymentFileOut(Out):
    filename: str
    format: str
    already_imported: bool
    matched: int
    unmatched: int
    duplicates: int
    total: str
    payments: list[PaymentOutcomeOut]


# -- runs ---------------------------------------------------------------------------------------------------------


class RunIn(In):
    on: Day = Field(description="The business date to run.")
    to: Day | None = Field(default=None, description="Run every day from `on` to this date, in order.")


class RunDayOut(Out):
    date: date
    companies: list[dict[str, Any]]
    troubled: bool
