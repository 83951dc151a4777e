"""The bodies of companies, the agreement, the ledger, the proposal and submissions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from krav.domain.ledger.voucher_types import CollectionVoucherType
from krav.entrypoints.api.schemas.base import (
    Amount,
    Day,
    Id,
    In,
    OptionalText,
    Orgno,
    Out,
    Text,
)

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
    customers: Annotated[list[CustomerIn], Field(default_factory=list, max_length=10_000)]


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
    settles: Annotated[list[Annotated[str, Field(max_length=40)]], Field(default_factory=list, max_length=1000)]
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
