"""The API's bodies: what a request may send (every model refuses fields it does not know, so a server-owned field
such as an id, a stage or a timestamp is refused, not ignored) and what it answers. Money travels as decimal
strings (``"4000.00"``), dates as ISO 8601."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from krav.domain.access import Role
from krav.domain.collection.actions import Action
from krav.domain.ledger.voucher_types import CollectionVoucherType
from krav.domain.money import Money

Amount = Annotated[
    str,
    Field(
        pattern=r"^-?\d{1,13}(\.\d{1,2})?$",
        description="An amount in kroner as a decimal string, at most two decimals.",
        examples=["4000.00"],
    ),
]
Orgno = Annotated[str, Field(pattern=r"^\d{9}$", description="An organisation number, 9 digits.")]
Text = Annotated[str, Field(min_length=1, max_length=200)]
OptionalText = Annotated[str | None, Field(default=None, max_length=200)]
Day = Annotated[date, Field(ge=date(1990, 1, 1), le=date(2099, 12, 31))]
#: a stored row's id
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def money(value: Money | None) -> str | None:
    return None if value is None else f"{value.amount:.2f}"


def amount(value: str) -> Money:
    return Money.of(Decimal(value))


class In(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


T = TypeVar("T")


class Page(Out, Generic[T]):
    """One page of a list; ``next_cursor`` asks for the next page (None: this is the last)."""

    items: list[T]
    next_cursor: str | None = None


# -- companies ----------------------------------------------------------------------------------------------------


class AddressIn(In):
    street: OptionalText = None
    postcode: Annotated[str | None, Field(default=None, max_length=10)] = None
    city: OptionalText = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "NO"


class AddressOut(Out):
    street: str | None
    postcode: str | None
    city: str | None
    country: str


class CompanyIn(In):
    orgno: Orgno
    name: Text
    bank_account: Annotated[str | None, Field(default=None, pattern=r"^\d{11}$")] = None
    vat_registered: bool = True
    address: AddressIn | None = None
    email: Annotated[str | None, Field(default=None, max_length=254)] = None


class CompanyPatch(In):
    name: Text | None = None
    bank_account: Annotated[str | None, Field(default=None, pattern=r"^\d{11}$")] = None
    vat_registered: bool | None = None
    street: OptionalText = None
    postcode: Annotated[str | None, Field(default=None, max_length=10)] = None
    city: OptionalText = None
    email: Annotated[str | None, Field(default=None, max_length=254)] = None


class CompanyOut(Out):
    orgno: str
    name: str
    bank_account: str | None
    vat_registered: bool
    address: AddressOut
    email: str | None


# -- the agreement ------------------------------------------------------------------------------------------------


class AgreementChangeOut(Out):
    field: str
    old: str | None
    new: str | None
    by: str
    on: date


class AgreementOut(Out):
    active: bool
    activated_on: date | None
    accepted_by: str | None
    fields: dict[str, str | None] = Field(description="Every field of the agreement as text.")
    history: list[AgreementChangeOut]


AgreementValue = str | int | bool | None


class AgreementPatch(In):
    """Fields of the agreement to change, by name (as in ``fields``), each to a new value."""

    changes: Annotated[dict[Annotated[str, Field(max_length=60)], AgreementValue], Field(min_length=1, max_length=40)]


class ActivationIn(In):
    accepted_terms: Annotated[
        str,
        Field(
            pattern=r"^sha256:[0-9a-f]{64}$",
            description="The fingerprint of the terms accepted, as GET …/agreement/terms shows them.",
        ),
    ]
    on: Day | None = None


# -- the ledger ---------------------------------------------------------------------------------------------------


class CustomerIn(In):
    number: Annotated[str, Field(min_length=1, max_length=40)]
    name: Annotated[str, Field(max_length=200)] = ""
    kind: Literal["consumer", "business"] = "consumer"
    orgno: Annotated[str | None, Field(default=None, max_length=20)] = None
    address: AddressIn | None = None
    email: Annotated[str | None, Field(default=None, max_length=254)] = None
    email_for_letters: bool = False
    exempt: bool = False
    payment_terms_days: Annotated[int | None, Field(default=None, ge=0, le=365)] = None
    language: Literal["nb", "nn", "en"] = "nb"


class CustomerOut(Out):
    number: str
    name: str
    kind: str
    orgno: str | None
    address: AddressOut
    email: str | None
    email_for_letters: bool | None
    exempt: bool
    payment_terms_days: int | None


class CustomersIn(In):
    customers: Annotated[list[CustomerIn], Field(min_length=1, max_length=10_000)]


class SavedOut(Out):
    created: int
    updated: int
    unchanged: int


class InvoiceIn(In):
    number: Annotated[str, Field(min_length=1, max_length=40)]
    customer: Annotated[str, Field(min_length=1, max_length=40)]
    issued: Day
    due: Day | None = None
    amount: Amount
    voucher_type: Annotated[int, Field(ge=1, le=999)] = 11
    kid: Annotated[str | None, Field(default=None, pattern=r"^\d{2,25}$")] = None
    exempt: bool = False
    text: Annotated[str, Field(max_length=200)] = ""


class InvoicesIn(In):
    """Outgoing invoices, with the customers they are to (created or updated first, in the same transaction)."""

    invoices: Annotated[list[InvoiceIn], Field(min_length=1, max_length=10_000)]
    customers: Annotated[list[CustomerIn], Field(max_length=10_000)] = []


class ItemOut(Out):
    id: int
    customer: str
    number: str
    voucher_type: int
    amount: str
    remaining: str
    invoice_date: date
    due_date: date | None
    exempt: bool
    collection_id: str | None
    kid: str | None


class BalanceOut(Out):
    balanced: bool
    trial_balance: dict[str, str] = Field(description="Each account's balance, by account number.")
    account_names: dict[str, str]
    subledger_mismatches: dict[str, list[str]] = Field(
        description="Customers whose receivables differ from their open items: [receivables, open items]."
    )
    customers_checked: int


class PaymentIn(In):
    """A payment the creditor's own bank received for an invoice (R-LED-6 splits it over what the claim owes)."""

    invoice: Annotated[str, Field(min_length=1, max_length=40)]
    amount: Amount
    on: Day


class CreditNoteIn(In):
    invoice: Annotated[str, Field(min_length=1, max_length=40)]
    amount: Amount
    on: Day
    number: Annotated[str | None, Field(default=None, max_length=40)] = None


class WriteOffIn(In):
    invoice: Annotated[str, Field(min_length=1, max_length=40)]
    on: Day


class InvoicesOut(Out):
    items: list[ItemOut] = Field(description="The open items the invoices became.")


class PostingOut(Out):
    vouchers: list[int] = Field(description="The numbers of the vouchers posted.")
    items: list[ItemOut]


class VoucherLineIn(In):
    account: Annotated[str, Field(pattern=r"^\d{4,6}$")]
    amount: Amount
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "NOK"
    customer: Annotated[str | None, Field(default=None, max_length=40)] = None
    item: Annotated[str | None, Field(default=None, max_length=40)] = None
    settles: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=1000)] = []
    due_date: Day | None = None
    kid: Annotated[str | None, Field(default=None, pattern=r"^\d{2,25}$")] = None
    reference: Annotated[str | None, Field(default=None, max_length=100)] = None
    text: Annotated[str | None, Field(default=None, max_length=200)] = None


class VoucherIn(In):
    type: Annotated[int, Field(ge=1, le=999)]
    date: Day
    text: Annotated[str, Field(max_length=200)] = ""
    lines: Annotated[list[VoucherLineIn], Field(min_length=2, max_length=1000)]


class VouchersIn(In):
    text: Annotated[str, Field(max_length=200)] = ""
    vouchers: Annotated[list[VoucherIn], Field(min_length=1, max_length=10_000)]


class VoucherTypeIn(In):
    name: Text
    collection_type: CollectionVoucherType = CollectionVoucherType.NONE


class VoucherTypeOut(Out):
    code: int
    name: str
    collection_type: str | None


# -- proposal and submissions -------------------------------------------------------------------------------------


class ReasonOut(Out):
    code: str
    message: str


class ProposalRowOut(Out):
    item: ItemOut
    customer_name: str | None
    valid: bool
    reasons: list[ReasonOut]
    sendable_from: date | None


class SubmissionIn(In):
    items: Annotated[list[Id], Field(max_length=10_000)] = Field(
        default=[], description="The items to submit; leave empty with all_valid to submit every valid item."
    )
    all_valid: bool = False
    on: Day | None = None


class SubmittedOut(Out):
    item: int
    number: str
    submitted: bool
    reasons: list[ReasonOut]


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


# -- access -------------------------------------------------------------------------------------------------------


class ApiClientIn(In):
    name: Text
    role: Literal[Role.INTEGRATION, Role.CREDITOR_USER, Role.VIEWER, Role.CREDITOR_ADMIN] = Role.INTEGRATION


class ApiKeyOut(Out):
    id: int
    name: str
    role: str
    company: str | None
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class NewApiKeyOut(ApiKeyOut):
    token: str = Field(description="The key itself: shown this once, stored only as a hash.")


class WebhookIn(In):
    url: Annotated[str, Field(pattern=r"^https?://[^\s]{1,1990}$")]
    events: Annotated[list[str], Field(min_length=1, max_length=10)]


class WebhookOut(Out):
    id: int
    url: str
    events: list[str]
    created_at: datetime
    disabled_at: datetime | None


class NewWebhookOut(WebhookOut):
    secret: str = Field(description="The signing secret: shown this once.")


class WebhookDeliveryOut(Out):
    id: int
    webhook: int
    event_id: str
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    delivered_at: datetime | None


# -- problems -----------------------------------------------------------------------------------------------------


class ProblemError(Out):
    where: str
    problem: str


class Problem(BaseModel):
    """An error as RFC 9457 problem details, with Krav's stable machine code and the title in bokmål and
    English."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    titles: dict[str, str]
    errors: list[ProblemError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem answers an operation may give, for its OpenAPI document."""
    described = {
        400: "The request cannot be answered as it is.",
        401: "No valid API key.",
        403: "The key's role may not do this.",
        404: "Not found, or not this key's company.",
        409: "A rule or the state of the claim refuses it, or the same Idempotency-Key is still in flight.",
        412: "If-Match names another version: the resource changed since it was read.",
        422: "The request is not valid: what and where is in detail and errors.",
        503: "The database is busy; try again.",
    }
    return {
        status: {
            "description": described[status],
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
