"""The store the fakes read and write: plain dictionaries of domain values standing for the tables, with the
rows the fakes keep beside domain values, and the unique keys the database would enforce."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any

from krav.domain.access import ApiKey, User
from krav.domain.agreement import Agreement
from krav.domain.collection.allocation import Applied
from krav.domain.collection.claims import Claim
from krav.domain.ledger.accounts import Account
from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.ledger.vouchers import PostedVoucher
from krav.domain.messages import (
    Direction,
    Message,
    MessageKind,
)
from krav.domain.money import Money
from krav.domain.party import Company, Customer
from krav.services.ports import (
    AgreementChange,
    AllocationChannel,
    ClientPayment,
    Delivery,
    Document,
    HistoryEntry,
    IdempotentRequest,
    ImportRecord,
    LedgerChange,
    PostedBankPayment,
    SavedFilter,
    StoredLetter,
    StoredSettlement,
    Webhook,
    WebhookDelivery,
)

_REPORTS = (MessageKind.DIRECT_PAYMENT, MessageKind.CREDIT)


_SETTLED_CHANNELS = (AllocationChannel.CLIENT_ACCOUNT, AllocationChannel.CREDITOR_COSTS)


class DuplicateKey(Exception):
    """What a unique key of the database refuses (the SQL adapters raise SQLAlchemy's IntegrityError)."""


def _now() -> datetime:
    """The wall clock, for audit timestamps only, as the SQL adapters write them."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class BatchRow:
    company_id: int
    text: str
    source: str
    posted_at: datetime


@dataclass(frozen=True, slots=True)
class ItemMatchRow:
    company_id: int
    allocation: Allocation
    method: str
    on: date
    voucher_id: int | None


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    company_id: int
    direction: Direction
    message: Message
    on: date
    handled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    company_id: int
    claim_id: int
    entry: HistoryEntry
    # the event's place in the company's chain, the chain hash of the event before and its own (tests/fakes/chains.py)
    seq: int | None = None
    previous: str | None = None
    hash: str | None = None


@dataclass(frozen=True, slots=True)
class VoucherSeal:
    """The hashes a voucher was posted with: the chain hash of the voucher before, its own, and its lines' (with
    the ids the lines would have in the database)."""

    previous: str
    hash: str
    line_ids: tuple[int, ...]
    line_hashes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LetterRow:
    letter: StoredLetter
    claim_ids: tuple[int, ...]  # the claim of each line, in line order


@dataclass(frozen=True, slots=True)
class ListLineRow:
    claim_id: int
    principal: Money
    fee: Money
    interest: Money


@dataclass(frozen=True, slots=True)
class ListRow:
    id: int
    company_id: int
    list_date: date
    transfer_on: date | None
    lines: tuple[ListLineRow, ...]


@dataclass(frozen=True, slots=True)
class AllocationRow:
    id: int
    company_id: int
    claim_id: int
    on: date
    channel: AllocationChannel
    payment_id: int | None
    applied: Applied
    settlement_id: int | None = None


@dataclass(frozen=True, slots=True)
class SettlementRow:
    company_id: int
    settlement: StoredSettlement


@dataclass(frozen=True, slots=True)
class DuplicateRow:
    first_id: int
    sighting: ClientPayment


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    company_id: int
    document: Document


@dataclass(frozen=True, slots=True)
class PageRow:
    as_of: date
    stamp: str
    body: str


@dataclass
class FakeStore:
    """The tables, as dictionaries of domain values. ``ids`` are the tables' id sequences and ``counters`` the
    per-company number sequences (vouchers, collection IDs, case numbers); both roll back with a transaction,
    as SQLite's do."""

    ids: dict[str, int] = field(default_factory=dict)
    counters: dict[tuple[int, str], int] = field(default_factory=dict)
    # the ledger side
    companies: dict[int, Company] = field(default_factory=dict)
    accounts: dict[int, dict[str, Account]] = field(default_factory=dict)
    voucher_types: dict[int, dict[int, VoucherType]] = field(default_factory=dict)
    customers: dict[int, dict[str, Customer]] = field(default_factory=dict)
    batches: dict[int, BatchRow] = field(default_factory=dict)
    vouchers: dict[int, dict[int, PostedVoucher]] = field(default_factory=dict)
    voucher_seals: dict[int, VoucherSeal] = field(default_factory=dict)
    items: dict[int, dict[int, OpenItem]] = field(default_factory=dict)
    item_matches: list[ItemMatchRow] = field(default_factory=list)
    messages: dict[int, MessageRow] = field(default_factory=dict)
    imports: dict[tuple[int, str, str], ImportRecord] = field(default_factory=dict)
    agreements: dict[int, Agreement] = field(default_factory=dict)
    agreement_changes: dict[int, list[AgreementChange]] = field(default_factory=dict)
    ledger_changes: dict[int, list[LedgerChange]] = field(default_factory=dict)
    bank_payments: dict[tuple[int, str], PostedBankPayment] = field(default_factory=dict)
    # the collection side
    claims: dict[int, Claim] = field(default_factory=dict)
    events: dict[int, EventRow] = field(default_factory=dict)
    letters: dict[int, LetterRow] = field(default_factory=dict)
    lists: dict[int, ListRow] = field(default_factory=dict)
    payments: dict[int, ClientPayment] = field(default_factory=dict)
    payments_applied_on: dict[int, date | None] = field(default_factory=dict)
    payment_duplicates: dict[int, DuplicateRow] = field(default_factory=dict)
    allocations: dict[int, AllocationRow] = field(default_factory=dict)
    settlements: dict[int, SettlementRow] = field(default_factory=dict)
    run_steps: dict[tuple[int, date, str], str] = field(default_factory=dict)
    run_finished: dict[tuple[int, date, str], datetime] = field(default_factory=dict)
    # the archive and the delivery outbox
    documents: dict[int, DocumentRow] = field(default_factory=dict)
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    # access over HTTP
    api_keys: dict[int, ApiKey] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], IdempotentRequest] = field(default_factory=dict)
    webhooks: dict[int, Webhook] = field(default_factory=dict)
    webhook_deliveries: dict[int, WebhookDelivery] = field(default_factory=dict)
    # the portal's users, each with its roles not revoked
    users: dict[int, User] = field(default_factory=dict)
    saved_filters: dict[tuple[int, int, str], SavedFilter] = field(default_factory=dict)
    # claims' kept pages, by claim and view
    claim_pages: dict[tuple[int, str], PageRow] = field(default_factory=dict)

    def snapshot(self) -> FakeStore:
        """A copy to work on: every table and nested table copied, the rows shared. Rows are frozen values, and
        a claim is stored and handed out only as a copy of its own, so no row changes in place."""
        return FakeStore(**{f.name: _copy_table(getattr(self, f.name)) for f in fields(self)})

    def new_id(self, table: str) -> int:
        """The next id of ``table``: 1, 2, 3, …"""
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def next_values(self, company_id: int, name: str, count: int) -> range:
        """The next ``count`` numbers of a per-company sequence; the first is 1."""
        if count < 1:
            return range(0)
        value = self.counters.get((company_id, name), 0) + count
        self.counters[(company_id, name)] = value
        return range(value - count + 1, value + 1)


def _copy_table(table: Any) -> Any:
    """A table (a dictionary or a list) copied with its nested dictionaries and lists, not its rows."""
    if isinstance(table, list):
        return list(table)
    return {key: type(value)(value) if isinstance(value, dict | list) else value for key, value in table.items()}


def _refuse_duplicate(clash: bool, what: str) -> None:
    if clash:
        raise DuplicateKey(f"duplicate key: {what}")
