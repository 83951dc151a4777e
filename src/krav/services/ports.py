"""The ports the services need: repositories and the unit of work. Adapters implement them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from krav.domain.agreement import Agreement
from krav.domain.collection.allocation import Applied
from krav.domain.collection.claims import Claim
from krav.domain.collection.letters import CollectionListRow, Letter, LetterLine, LetterType, Sender
from krav.domain.collection.settlement import SettlementReport, SettlementReportLine
from krav.domain.collection.steps import Event, LetterDraft
from krav.domain.ledger.accounts import Account
from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.ledger.vouchers import PostedVoucher, Voucher
from krav.domain.messages import LedgerReport
from krav.domain.money import Money
from krav.domain.party import Company, Customer
from krav.domain.validation import Candidate


@dataclass(frozen=True, slots=True)
class NewItem:
    """An open item to create from a posted receivables line."""

    customer: str
    number: str
    voucher_type: int
    amount: Money
    remaining: Money
    invoice_date: date
    due_date: date | None
    voucher_id: int
    voucher_line_no: int
    kid: str | None = None
    reference: str | None = None
    exempt: bool = False


@dataclass(frozen=True, slots=True)
class LikelyValid:
    """Necessary conditions of R-VAL-1 that the database can check, to narrow the auto-transfer's candidates
    before every rule is applied to them in Python (where each rule lives): ``due_by`` is the latest due date
    whose days before transfer have passed, ``minimum_ore`` the agreement's minimum amount."""

    due_by: date
    minimum_ore: int


@dataclass(frozen=True, slots=True)
class ImportRecord:
    kind: str
    sha256: str
    filename: str
    imported_on: str
    summary: str


@dataclass(frozen=True, slots=True)
class AgreementChange:
    """One field of the agreement changed: who, when, old → new."""

    field: str
    old: str | None
    new: str | None
    by: str = ""
    on: date | None = None
    at: str | None = None


@dataclass(frozen=True, slots=True)
class ClientPayment:
    """A payment received on the service's client account (R-BANK-2), matched to a letter by its KID."""

    received_on: date
    amount: Money
    reference: str
    source: str
    kid: str | None = None
    payer: str | None = None
    company_id: int | None = None
    letter_id: int | None = None
    status: str = "pending"
    reason: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class StoredLetter:
    """A letter as sent: numbered per debtor, with its KID and what each claim owed that day."""

    id: int
    company_id: int
    debtor: str
    n: int
    type: LetterType
    sent_on: date
    deadline: date | None
    kid: str | None
    account: str | None
    case_number: str | None
    lines: tuple[LetterLine, ...]

    @property
    def total(self) -> Money:
        return Money.sum((line.total for line in self.lines), self.lines[0].principal.currency if self.lines else "NOK")


@dataclass(frozen=True, slots=True)
class StoredSettlement:
    id: int
    reference: str
    settled_on: date
    principal: Money
    fee: Money
    interest: Money
    overpaid: Money
    costs: Money = field(default_factory=Money.zero)
    costs_vat: Money = field(default_factory=Money.zero)

    @property
    def total(self) -> Money:
        """What is remitted: collected for the creditor, less the costs invoiced to it and their VAT."""
        return self.principal + self.fee + self.interest + self.overpaid - self.costs - self.costs_vat


@dataclass(frozen=True, slots=True)
class Service:
    """The collection service as letters name it, and the client account debtors pay to."""

    name: str
    orgno: str
    account: str
    email: str | None = None
    phone: str | None = None

    def sender(self) -> Sender:
        return Sender(self.name, self.orgno, None, None, None, self.email, self.phone)


@dataclass(frozen=True, slots=True)
class Document:
    """An archived document: the exact bytes sent, with their SHA-256."""

    kind: str
    ref: str
    filename: str
    media_type: str
    sha256: str
    content: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """One letter or list to deliver by e-mail or print; ``delivery_key`` makes a delivery happen once."""

    id: int
    company_id: int
    kind: str
    ref_id: int
    on_date: date
    channel: str
    address: str | None
    delivery_key: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    updated_at: datetime


class DeliveryRepository(Protocol):
    def archive(
        self, company_id: int, kind: str, ref: str, filename: str, media_type: str, content: bytes
    ) -> Document: ...
    def document(self, company_id: int, kind: str, ref: str) -> Document | None: ...
    def documents(self, company_id: int, kind: str | None = None) -> list[Document]: ...
    def enqueue(
        self, company_id: int, kind: str, ref_id: int, on: date, channel: str, address: str | None, key: str
    ) -> None: ...
    def deliveries(
        self,
        *,
        statuses: Iterable[str] | None = None,
        company_id: int | None = None,
        limit: int | None = None,
        max_attempts: int | None = None,
    ) -> list[Delivery]: ...
    def set_status(
        self,
        delivery_id: int,
        status: str,
        *,
        error: str | None = None,
        sent_at: datetime | None = None,
        attempt: bool = False,
        expect: str | None = None,
        reset_attempts: bool = False,
    ) -> bool: ...


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    sender: str
    to: str
    subject: str
    body: str
    message_id: str
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> None: ...


class Renderer(Protocol):
    """Turns letters and lists into PDF bytes, the same bytes for the same input."""

    def render_letter(self, letter: Letter) -> bytes: ...
    def render_letters(self, letters: Sequence[Letter]) -> bytes: ...
    def render_collection_list(self, creditor: Sender, list_date: date, rows: Sequence[CollectionListRow]) -> bytes: ...
    def render_settlement_report(self, report: SettlementReport) -> bytes: ...


class CompanyRepository(Protocol):
    def add(self, company: Company) -> Company: ...
    def update(self, company: Company) -> Company: ...
    def find(self, orgno: str) -> Company | None: ...
    def get(self, orgno: str) -> Company: ...
    def all(self) -> list[Company]: ...


class LedgerRepository(Protocol):
    # chart and voucher types
    def add_accounts(self, company_id: int, accounts: Iterable[Account]) -> None: ...
    def accounts(self, company_id: int) -> dict[str, Account]: ...
    def save_voucher_type(self, company_id: int, voucher_type: VoucherType) -> None: ...
    def voucher_types(self, company_id: int) -> dict[int, VoucherType]: ...

    # customers
    def save_customer(self, company_id: int, customer: Customer) -> str: ...
    def customers(self, company_id: int, numbers: Iterable[str] | None = None) -> dict[str, Customer]: ...

    # vouchers and items
    def next_number(self, company_id: int, counter: str) -> int: ...
    def add_batch(self, company_id: int, text: str, source: str) -> int: ...
    def add_voucher(self, company_id: int, batch_id: int, number: int, voucher: Voucher) -> PostedVoucher: ...
    def voucher(self, company_id: int, voucher_id: int) -> PostedVoucher: ...
    def vouchers(self, company_id: int) -> list[PostedVoucher]: ...
    def add_items(self, company_id: int, items: Sequence[NewItem]) -> list[OpenItem]: ...
    def items(
        self,
        company_id: int,
        *,
        ids: Iterable[int] | None = None,
        numbers: Iterable[str] | None = None,
        customer: str | None = None,
        open_only: bool = False,
        collection_ids: Iterable[str] | None = None,
    ) -> list[OpenItem]: ...
    def existing_invoice_numbers(self, company_id: int, numbers: Iterable[str]) -> set[str]: ...
    def candidates(
        self,
        company_id: int,
        *,
        today: date,
        ids: Iterable[int] | None = None,
        customer: str | None = None,
        likely_valid: LikelyValid | None = None,
    ) -> list[Candidate]: ...
    def set_collection_id(self, company_id: int, item_id: int, collection_id: str) -> bool: ...
    def mark_reminded(self, company_id: int, item_ids: Iterable[int], on: date) -> None: ...
    def set_item_exempt(self, company_id: int, item_id: int, exempt: bool) -> bool: ...
    def update_collection_amounts(self, company_id: int, collection_id: str, fee: Money, interest: Money) -> None: ...
    def save_remaining(self, company_id: int, items: Iterable[OpenItem]) -> None: ...
    def record_allocations(
        self,
        company_id: int,
        allocations: Iterable[Allocation],
        *,
        method: str,
        on: date,
        voucher_id: int | None,
    ) -> None: ...
    def voucher_number_of_item(self, company_id: int, item_id: int) -> int: ...
    def trial_balance(self, company_id: int) -> dict[str, Money]: ...
    def receivables_by_customer(self, company_id: int) -> dict[str, Money]: ...
    def subledger_by_customer(self, company_id: int) -> dict[str, Money]: ...


class MessageOutbox(Protocol):
    def reports(self, company_id: int) -> list[LedgerReport]: ...
    def add(self, company_id: int, message: Any, *, direction: str, on: date, handled: bool) -> None: ...
    def pending_reports(self, company_id: int, up_to: date) -> list[tuple[int, LedgerReport]]: ...
    def mark_handled(self, message_ids: Iterable[int]) -> None: ...


class AgreementRepository(Protocol):
    def get(self, company_id: int) -> Agreement: ...
    def save(self, company_id: int, agreement: Agreement) -> None: ...
    def record_changes(self, company_id: int, changes: list[AgreementChange], *, by: str, on: date) -> None: ...
    def history(self, company_id: int) -> list[AgreementChange]: ...


class ImportLog(Protocol):
    def find(self, company_id: int, kind: str, sha256: str) -> ImportRecord | None: ...
    def record(self, company_id: int, kind: str, sha256: str, filename: str, summary: str) -> None: ...


class CollectionRepository(Protocol):
    def add_claim(self, claim: Claim) -> Claim: ...
    def save_claims(self, claims: Iterable[Claim]) -> None: ...
    def claims(
        self,
        company_id: int,
        *,
        collection_ids: Iterable[str] | None = None,
        invoice_numbers: Iterable[str] | None = None,
        ids: Iterable[int] | None = None,
        open_only: bool = False,
        due_by: date | None = None,
        stage: str | None = None,
        debtor: str | None = None,
        letters_due: bool = False,
    ) -> list[Claim]: ...
    def add_events(self, company_id: int, claim_ids: dict[str, int], events: Sequence[Event], *, by: str) -> None: ...
    def history(self, company_id: int, claim_id: int) -> list[dict[str, Any]]: ...
    def next_case_number(self, company_id: int) -> str: ...
    def add_letter(
        self, company_id: int, draft: LetterDraft, *, kid_for: Callable[[int], str], account: str | None
    ) -> StoredLetter: ...
    def letters(
        self,
        company_id: int,
        *,
        letter_ids: Iterable[int] | None = None,
        kid: str | None = None,
        debtor: str | None = None,
        claim_id: int | None = None,
    ) -> list[StoredLetter]: ...
    def letter_by_kid(self, kid: str) -> StoredLetter | None: ...
    def add_list(
        self, company_id: int, list_date: date, transfer_on: date | None, rows: Sequence[tuple[Claim, Money]]
    ) -> int: ...
    def list_rows(self, company_id: int, list_id: int) -> list[CollectionListRow]: ...
    def lists(self, company_id: int) -> list[tuple[date, list[str]]]: ...
    def lists_with_ids(self, company_id: int) -> list[tuple[date, list[str], int]]: ...
    def add_payment(self, payment: ClientPayment) -> int | None: ...
    def payments_from(self, source: str) -> bool: ...
    def pending_payments(self, company_id: int, up_to: date) -> list[ClientPayment]: ...
    def payments(self, *, status: str | None = None, company_id: int | None = None) -> list[ClientPayment]: ...
    def set_payment_status(
        self, payment_id: int, status: str, *, on: date | None = None, reason: str | None = None, **extra: Any
    ) -> None: ...
    def add_allocations(
        self,
        company_id: int,
        claim_ids: dict[str, int],
        applied: Sequence[Applied],
        *,
        on: date,
        channel: str,
        payment_id: int | None,
    ) -> None: ...
    def unsettled(self, company_id: int, up_to: date) -> list[dict[str, Any]]: ...
    def add_settlement(
        self, company_id: int, settled_on: date, totals: dict[str, Money], allocation_ids: list[int]
    ) -> int: ...
    def settlements(self, company_id: int) -> list[StoredSettlement]: ...
    def settlement_lines(self, company_id: int, settlement_id: int) -> list[SettlementReportLine]: ...
    def step_done(self, company_id: int, day: date, step: str) -> bool: ...
    def mark_step(self, company_id: int, day: date, step: str, summary: dict[str, Any]) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything a use case writes is committed together, or nothing is."""

    @property
    def companies(self) -> CompanyRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def outbox(self) -> MessageOutbox: ...
    @property
    def imports(self) -> ImportLog: ...
    @property
    def agreements(self) -> AgreementRepository: ...
    @property
    def collection(self) -> CollectionRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
