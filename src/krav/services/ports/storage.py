"""The storage ports: one repository per concern and the unit of work that binds them to one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from krav.domain.agreement import Agreement
from krav.domain.collection.allocation import Applied
from krav.domain.collection.claims import Claim
from krav.domain.collection.events import Event
from krav.domain.collection.letter_content import PaymentApplied
from krav.domain.collection.letters import CollectionListRow, Recipient
from krav.domain.collection.settlement import SettlementReportLine
from krav.domain.collection.steps import LetterDraft
from krav.domain.ledger.accounts import Account
from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.ledger.vouchers import PostedVoucher, Voucher
from krav.domain.messages import LedgerReport, Message, MessageKind
from krav.domain.money import Money
from krav.domain.party import Company, Customer
from krav.domain.validation import Candidate
from krav.services.ports.access import AccessRepository
from krav.services.ports.deliveries import DeliveryRepository
from krav.services.ports.jobs import JobQueue
from krav.services.ports.models import (
    AgreementChange,
    AllocationChannel,
    ClaimEventRecord,
    ClaimFilter,
    ClaimToMatch,
    ClaimWaiting,
    ClientPayment,
    HistoryEntry,
    ImportRecord,
    ItemFilter,
    LedgerChange,
    LetterOfKid,
    LikelyValid,
    NewItem,
    PaymentApplication,
    PaymentStatus,
    PendingMessage,
    PostedBankPayment,
    StoredChain,
    StoredLetter,
    StoredSettlement,
    UnsettledAllocation,
)


class CompanyRepository(Protocol):
    def add(self, company: Company) -> Company: ...
    def update(self, company: Company) -> Company: ...
    def find(self, orgno: str) -> Company | None: ...
    def get(self, orgno: str) -> Company: ...
    def by_id(self, company_id: int) -> Company: ...
    def all(self) -> list[Company]: ...


class LedgerRepository(Protocol):
    # chart and voucher types
    def add_accounts(self, company_id: int, accounts: Iterable[Account]) -> None: ...
    def accounts(self, company_id: int) -> dict[str, Account]: ...
    def save_voucher_type(self, company_id: int, voucher_type: VoucherType) -> None: ...
    def voucher_types(self, company_id: int) -> dict[int, VoucherType]: ...

    # customers
    def save_customer(self, company_id: int, customer: Customer) -> str: ...
    def save_customers(self, company_id: int, customers: Sequence[Customer]) -> list[str]:
        """:meth:`save_customer` of each in turn, in bulk: ``created``, ``updated`` or ``unchanged`` of each."""
        ...

    def customers(self, company_id: int, numbers: Iterable[str] | None = None) -> dict[str, Customer]: ...

    # vouchers and items
    def next_number(self, company_id: int, counter: str) -> int: ...
    def next_numbers(self, company_id: int, counter: str, count: int) -> range: ...
    def add_batch(self, company_id: int, text: str, source: str) -> int: ...
    def add_voucher(self, company_id: int, batch_id: int, number: int, voucher: Voucher) -> PostedVoucher: ...
    def add_vouchers(
        self, company_id: int, batch_id: int, numbers: Sequence[int], vouchers: Sequence[Voucher]
    ) -> list[PostedVoucher]:
        """Post vouchers numbered ``numbers`` (consecutive, from :meth:`next_numbers`), in bulk, in order."""
        ...

    def voucher(self, company_id: int, voucher_id: int) -> PostedVoucher: ...
    def vouchers(
        self, company_id: int, *, voucher_type: int | None = None, text: str | None = None
    ) -> list[PostedVoucher]:
        """The company's posted vouchers (of one type, or with one text, where given), by number."""
        ...

    def voucher_chain(self, company_id: int) -> StoredChain:
        """R-LED-1: the company's vouchers, by number, with their lines and the hashes they were posted with."""
        ...

    def add_items(self, company_id: int, items: Sequence[NewItem]) -> list[OpenItem]: ...
    def items(self, company_id: int, where: ItemFilter | None = None) -> list[OpenItem]:
        """Open items as ``where`` narrows them, by customer, due date and number."""
        ...

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
    def set_collection_ids(self, company_id: int, wanted: Mapping[int, str]) -> set[int]: ...
    def mark_reminded(self, company_id: int, item_ids: Iterable[int], on: date) -> None: ...
    def set_item_exempt(self, company_id: int, item_id: int, exempt: bool) -> bool: ...
    def set_item_due_date(self, company_id: int, item_id: int, due_date: date) -> None:
        """The due date in force on the open item (the posted voucher line keeps its own, R-LED-1)."""
        ...

    def set_customer_exempt(self, company_id: int, number: str, exempt: bool) -> None: ...
    def record_change(self, company_id: int, change: LedgerChange) -> None:
        """Keep a change made outside a voucher, append-only: who, when, old → new."""
        ...

    def changes(self, company_id: int) -> list[LedgerChange]:
        """The changes kept, in the order they were made."""
        ...

    def update_collection_amounts(self, company_id: int, figures: Mapping[str, tuple[Money, Money]]) -> None:
        """R-LED-3: each item's outstanding (fee, interest) by its collection ID, in one bulk write."""
        ...

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
    def record_posting_allocations(
        self, company_id: int, posted: Sequence[tuple[int, date, Sequence[Allocation]]]
    ) -> None:
        """Record, at once, the allocations posted vouchers made (R-LED-4): each voucher's id, its date, and
        what its lines settled (method ``posting``)."""
        ...

    def voucher_number_of_item(self, company_id: int, item_id: int) -> int: ...

    # payments of the creditor's own bank files, by the bank's identity
    def posted_bank_payment(self, company_id: int, bank_id: str) -> PostedBankPayment | None:
        """The payment with this bank identity that the ledger posted already, if it did."""
        ...

    def add_posted_bank_payment(self, company_id: int, payment: PostedBankPayment) -> None:
        """Record that the ledger posted this payment; a second record of one identity is refused."""
        ...

    def trial_balance(self, company_id: int) -> dict[str, Money]: ...
    def receivables_by_customer(self, company_id: int) -> dict[str, Money]: ...
    def subledger_by_customer(self, company_id: int) -> dict[str, Money]: ...


class MessageOutbox(Protocol):
    """The message table: what the two sides tell each other (DESIGN.md "Two sides, one contract")."""

    def add(self, company_id: int, message: Message, *, on: date, handled: bool = False) -> None: ...
    def add_many(self, company_id: int, messages: Sequence[Message], *, on: date) -> None: ...
    def pending(self, kinds: Iterable[MessageKind]) -> list[PendingMessage]:
        """Messages of these kinds not applied yet, of every creditor, in the order they were written."""
        ...

    def pending_reports(self, company_id: int, up_to: date) -> list[tuple[int, LedgerReport]]: ...
    def mark_handled(self, message_ids: Iterable[int]) -> None: ...
    def reports(self, company_id: int) -> list[LedgerReport]: ...


class AgreementRepository(Protocol):
    def get(self, company_id: int) -> Agreement: ...
    def save(self, company_id: int, agreement: Agreement) -> None: ...
    def record_changes(self, company_id: int, changes: list[AgreementChange], *, by: str, on: date) -> None: ...
    def history(self, company_id: int) -> list[AgreementChange]: ...


class ImportLog(Protocol):
    def find(self, company_id: int, kind: str, sha256: str) -> ImportRecord | None: ...
    def record(self, company_id: int, kind: str, sha256: str, filename: str, summary: str) -> None: ...


class CollectionRepository(Protocol):
    # claims and their history
    def add_claims(self, claims: Sequence[Claim]) -> list[Claim]: ...
    def save_claims(self, claims: Iterable[Claim]) -> None: ...
    def claim(self, company_id: int, collection_id: str) -> Claim | None: ...
    def claims(self, company_id: int, where: ClaimFilter | None = None) -> list[Claim]: ...
    def recipients(self, company_id: int, collection_ids: Iterable[str]) -> dict[str, tuple[date, Recipient]]:
        """The debtor each of these claims recorded, with the day the claim was submitted, by collection ID (only
        what a letter's recipient takes is read)."""
        ...

    def add_events(self, company_id: int, claim_ids: dict[str, int], events: Sequence[Event], *, by: str) -> None: ...
    def history(self, company_id: int, claim_id: int) -> list[HistoryEntry]: ...
    def last_event_seq(self, company_id: int) -> int:
        """The place of the company's latest claim event in its history (0: none yet)."""
        ...

    def events_after(self, company_id: int, after: int, limit: int) -> list[ClaimEventRecord]:
        """The company's claim events after place ``after``, in order, at most ``limit``."""
        ...

    def event_chain(self, company_id: int) -> StoredChain:
        """R-ACT-5: the company's claim events, in the order they were written, with their hashes."""
        ...

    def next_case_number(self, company_id: int) -> str: ...

    # letters
    def add_letters(
        self, company_id: int, drafts: Sequence[LetterDraft], *, kid_for: Callable[[int], str], account: str | None
    ) -> list[StoredLetter]: ...
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
    def letters_of_kids(self, kids: Iterable[str]) -> dict[str, LetterOfKid]:
        """The letters with these KIDs, whatever creditor each belongs to, by KID: a query per chunk of KIDs."""
        ...

    def claims_to_match(self) -> list[ClaimToMatch]:
        """R-CLM-7: every open claim of every creditor with a letter that carries a KID, each with those letters,
        newest first: what the manual-matching queue is matched against. A fixed number of queries."""
        ...

    def claims_waiting(self) -> list[ClaimWaiting]:
        """R-SVC-2: every claim of every creditor that waits for its latest letter, which could not be sent, with
        that letter; the longest waiting first. One query."""
        ...

    def wait_for_letter(self, company_id: int, letter_id: int, since: date) -> dict[str, int]:
        """R-SVC-2: the letter could not be sent: each of its claims whose latest letter it is waits for it from
        ``since`` (one set-based write). Returns them, collection ID to id."""
        ...

    # collection lists
    def add_list(
        self, company_id: int, list_date: date, transfer_on: date | None, rows: Sequence[tuple[Claim, Money]]
    ) -> int: ...
    def list_rows(self, company_id: int, list_id: int) -> list[CollectionListRow]: ...
    def lists(self, company_id: int) -> list[tuple[date, list[str], int]]: ...

    # payments, allocations, settlements
    def add_payment(self, payment: ClientPayment) -> int | None:
        """Record an incoming payment; None when the same (source, reference) is there already. A second
        payment with the ``bank_id`` of one on the account is refused."""
        ...

    def add_duplicate(self, payment: ClientPayment, *, first_id: int) -> int | None:
        """Record a sighting of the payment ``first_id`` again (status DUPLICATE, its reason naming the first),
        never to be applied; None when the same (source, reference) is there already."""
        ...

    def payment_by_bank_id(self, bank_id: str) -> ClientPayment | None:
        """The payment on the client account with this bank identity (its first sighting), if any."""
        ...

    def payments_by_bank_id(self, bank_ids: Iterable[str]) -> dict[str, ClientPayment]:
        """:meth:`payment_by_bank_id` of each of ``bank_ids`` found, in a query per chunk."""
        ...

    def add_payments(self, payments: Sequence[ClientPayment]) -> list[int | None]:
        """:meth:`add_payment` of each in turn, in bulk: the ids, None where (source, reference) was there."""
        ...

    def add_duplicates(self, sightings: Sequence[tuple[ClientPayment, int]]) -> list[int | None]:
        """:meth:`add_duplicate` of each (sighting, first payment's id) in turn, in bulk."""
        ...

    def payments_from(self, source: str) -> bool:
        """Whether payments or duplicates of this source (a file's SHA-256) were recorded before."""
        ...

    def pending_payments(self, company_id: int, up_to: date) -> list[ClientPayment]: ...
    def payments(self, *, status: PaymentStatus | None = None, company_id: int | None = None) -> list[ClientPayment]:
        """The payments on the client account, by status and company; the duplicates, which are no payments on
        it, only when ``status`` is DUPLICATE."""
        ...

    def set_payment_status(
        self,
        payment_id: int,
        status: PaymentStatus,
        *,
        on: date | None = None,
        reason: str | None = None,
        letter: tuple[int, int] | None = None,
    ) -> None:
        """Move a payment to ``status``; ``letter`` (company id, letter id) assigns it to a letter as well."""
        ...

    def add_allocations(
        self,
        company_id: int,
        claim_ids: dict[str, int],
        applied: Sequence[Applied],
        *,
        on: date,
        channel: AllocationChannel,
        payment_id: int | None,
    ) -> None: ...
    def record_applied_payments(
        self, company_id: int, applications: Sequence[PaymentApplication], *, applied_on: date
    ) -> None:
        """Each payment's allocations (channel client account) and its status APPLIED on ``applied_on``, as
        :meth:`add_allocations` and :meth:`set_payment_status` of each in turn do, in bulk."""
        ...

    def unsettled(self, company_id: int, up_to: date) -> list[UnsettledAllocation]: ...
    def payments_applied(self, company_id: int, collection_ids: Iterable[str]) -> dict[str, list[PaymentApplied]]:
        """R-CLM-9: what each payment of the debtor (direct, or to the client account) did to each of these claims,
        by collection ID, in the order applied; a client-account payment dated the day the debtor's bank got the
        order where the file said (R-CLM-14)."""
        ...

    def add_settlement(
        self, company_id: int, settled_on: date, totals: dict[str, Money], allocation_ids: list[int]
    ) -> StoredSettlement: ...
    def settlements(self, company_id: int) -> list[StoredSettlement]: ...
    def settlement_lines(self, company_id: int, settlement_id: int) -> list[SettlementReportLine]: ...

    # the daily run's done-records
    def step_done(self, company_id: int, day: date, step: str) -> bool: ...
    def last_run_day(self, company_id: int) -> date | None:
        """The latest business day a step of the daily run was done for the creditor (None: never run)."""
        ...

    def last_run_finished(self, company_id: int) -> datetime | None:
        """When the latest step of the daily run for the creditor finished (None: never run)."""
        ...

    def mark_step(self, company_id: int, day: date, step: str, summary: dict[str, Any]) -> None: ...


class PersonalDataRepository(Protocol):
    """A debtor's personal data across both sides' tables: restriction of processing (GDPR art. 18) and erasure
    (art. 17) once the books' retention has run (:mod:`krav.domain.personal_data`)."""

    def set_restricted(self, company_id: int, number: str, on: date | None) -> None:
        """Restrict the processing of the customer's data from ``on`` (None: lift the restriction)."""
        ...

    def latest_record(self, company_id: int, number: str) -> date | None:
        """The date of the customer's latest accounting record: a voucher naming it on a line, or an event in the
        history of one of its claims (None: there is none)."""
        ...

    def erase(self, company_id: int, customer: Customer) -> dict[str, int]:
        """Write the erased ``customer`` over the stored one and over each copy of it that may change: the claims'
        debtor fields, the messages that submitted its items, its letters' delivery addresses
        and errors, and the payer and message of a payment's later sightings. What is append-only or sealed by a
        hash stays.
        Returns how many rows changed, by table."""
        ...


@dataclass(frozen=True, slots=True)
class FoundPage:
    """A claim found by collection ID or invoice number, with the stamp of what its page is made from now and, if
    a page was kept with that very stamp, that page (``body``; None: make it again)."""

    claim_id: int
    stamp: str
    body: str | None


class ClaimPages(Protocol):
    """Claims' pages as a face answers them (the API's JSON), kept while what each was made from is unchanged —
    a read model that answers a claim's page with one read. What makes a page stale is the database's to tell
    (the stamp), not the callers': every change to a claim, its history, its letters or their deliveries, or to
    its company's interest setting, changes the stamp, by whatever program it was made."""

    def find(self, company_id: int, ref: str, *, view: str, salt: str) -> FoundPage | None:
        """The company's claim with collection ID ``ref`` (or else invoice number ``ref``): its stamp now — what
        ``salt`` says (the day, the rate table) with the claim's own state — and its kept page of ``view`` if that
        page has this stamp. None: the company has no such claim. Read the stamp before what the page is made of,
        in the same transaction: a change after it then only makes the kept page stale."""
        ...

    def keep(self, claim_id: int, *, view: str, as_of: date, stamp: str, body: str) -> None:
        """Keep ``body`` as the claim's page of ``view`` made on ``as_of`` from ``stamp`` (replacing one kept)."""
        ...

    def forget(self, *, claim_ids: Iterable[int] | None = None, before: date | None = None) -> int:
        """Drop kept pages: of these claims (their debtor's data was erased), or made before ``before`` (stale by
        their day). Returns how many."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything a use case writes is committed together, or nothing is.

    :meth:`commit` first delivers the messages written in the transaction that their receiving side applies at
    once (:mod:`krav.services.relay`): a submitted item becomes a claim, and the ledger takes the claims' new
    figures and the settlements, in the same transaction.
    """

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
    @property
    def personal_data(self) -> PersonalDataRepository: ...
    @property
    def access(self) -> AccessRepository: ...
    @property
    def jobs(self) -> JobQueue: ...
    @property
    def pages(self) -> ClaimPages: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


def company_and_id(uow: UnitOfWork, orgno: str) -> tuple[Company, int]:
    """The registered company with this organisation number and its id, or NotFound."""
    company = uow.companies.get(orgno)
    assert company.id is not None  # a stored company always has its id
    return company, company.id


def company_id(uow: UnitOfWork, orgno: str) -> int:
    """The id of the registered company with this organisation number, or NotFound."""
    return company_and_id(uow, orgno)[1]
