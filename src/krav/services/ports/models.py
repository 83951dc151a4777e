"""The typed values the ports speak in: read models, statuses and filters. Adapters build them from storage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from krav.domain.audit import Linked
from krav.domain.collection.allocation import Applied
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.events import EventKind
from krav.domain.collection.identity import IdentityGap, identity_gaps
from krav.domain.collection.letters import LetterLine, LetterType, Sender
from krav.domain.collection.suggestions import LetterToPay
from krav.domain.messages import Message
from krav.domain.money import Money


class PaymentStatus(StrEnum):
    """A payment on the client account: waiting for the day's run, applied, or waiting for a person; or a second
    sighting of a payment already received (a duplicate), recorded and never applied (R-BANK-2)."""

    PENDING = "pending"
    APPLIED = "applied"
    UNMATCHED = "unmatched"
    DUPLICATE = "duplicate"


class AllocationChannel(StrEnum):
    """How money reached a claim: reported by the ledger, paid to the client account, or costs invoiced."""

    DIRECT = "direct"
    CREDIT = "credit"
    CLIENT_ACCOUNT = "client_account"
    CREDITOR_COSTS = "creditor_costs"


class DeliveryKind(StrEnum):
    LETTER = "letter"
    COLLECTION_LIST = "collection_list"
    SETTLEMENT = "settlement"


class Channel(StrEnum):
    EMAIL = "email"
    PRINT = "print"


class DeliveryStatus(StrEnum):
    """Where a delivery stands: waiting, handed on, sent (handed to print or accepted by the mail server, R-SVC-2),
    failed (tried again), uncertain (may have left; a person checks), bounced (the mail server refused the
    address, or a delivery status notification came back: the letter goes on paper instead), or cancelled (the
    letter was taken back before it went)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    BOUNCED = "bounced"
    CANCELLED = "cancelled"  # taken back before it went (``krav letters cancel``): never sent


class DocumentKind(StrEnum):
    LETTER = "letter"
    COLLECTION_LIST = "collection_list"
    SETTLEMENT_PDF = "settlement_pdf"
    SETTLEMENT_CSV = "settlement_csv"
    PAIN001 = "pain001"
    PRINT_BATCH = "print_batch"


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """Which claims of a creditor to read; every field given narrows (they hold together), every field left as
    None does not.

    ``due_by`` selects what the daily run must look at (open claims whose next action has come, one indexed
    query); ``stages`` and ``paused`` narrow it to the claims a step can act on; ``letters_due`` the claims owed
    a confirmation, an interest note or an answer to an objection.
    """

    collection_ids: Iterable[str] | None = None
    invoice_numbers: Iterable[str] | None = None
    ids: Iterable[int] | None = None
    open_only: bool = False
    due_by: date | None = None
    stage: Stage | None = None
    stages: Iterable[Stage] | None = None
    paused: bool | None = None
    debtor: str | None = None
    letters_due: bool = False


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """Which open items of a creditor to read; every field given narrows (they hold together), every field left as
    None does not. ``open_only`` leaves out settled items (R-LED-3 settled status 3); ``debits_only`` leaves out
    payments and credit notes (an invoice's number is unique among the debits)."""

    ids: Iterable[int] | None = None
    numbers: Iterable[str] | None = None
    collection_ids: Iterable[str] | None = None
    customer: str | None = None
    open_only: bool = False
    debits_only: bool = False


@dataclass(frozen=True, slots=True)
class PendingMessage:
    """A message in the message table that its receiving side has not applied yet."""

    id: int
    company_id: int
    message: Message


@dataclass(frozen=True, slots=True)
class UnsettledAllocation:
    """Money applied to a claim that the service has not yet remitted (R-BANK-3)."""

    id: int
    collection_id: str
    channel: AllocationChannel
    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    overpaid: Money


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One event in a claim's append-only history (R-ACT-5)."""

    date: date
    kind: EventKind
    by: str
    amount: Money | None
    detail: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ClaimEventRecord:
    """An event of a claim's history with its place in the company's history and the claim it belongs to."""

    seq: int
    collection_id: str
    invoice_number: str
    entry: HistoryEntry


@dataclass(frozen=True, slots=True)
class StoredChain:
    """A company's hash chain as stored (the vouchers with their lines, or the claims' history), for the audit:
    its table, what a place in it is called (``"voucher number"``), how many rows its counter says were written,
    and the rows in chain order, read from storage as they are consumed (inside the unit of work)."""

    table: str
    place: str
    length: int
    links: Iterable[Linked]


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
class LedgerChange:
    """A change the creditor made to an open item (``subject`` ``item``, ``number`` its invoice number) or a
    customer (``customer``, its customer number) outside a voucher: who, when, old → new (R-LED-1: the posted
    voucher keeps what it was posted with)."""

    subject: str
    number: str
    field: str
    old: str | None
    new: str | None
    on: date
    by: str = ""


@dataclass(frozen=True, slots=True)
class ClientPayment:
    """A payment received on the service's client account (R-BANK-2), matched to a letter by its KID.

    ``bank_id`` is the bank's identity of the transaction (:attr:`krav.formats.payments.IncomingPayment.bank_id`),
    one payment on the account per identity; a payment recorded without one stands for itself by its file and
    reference (``file:SOURCE/REFERENCE``). ``filename`` names the file it came in, as it was imported; ``message``
    is what the payer wrote with it (camt.054 ``Ustrd``, an OCR giro's free text), on one line and cut to fit
    (:func:`krav.domain.plausible.fit_text`). A :attr:`PaymentStatus.DUPLICATE` is a later sighting of the payment with the same ``bank_id``; its reason
    names the first.
    """

    received_on: date
    amount: Money
    reference: str
    source: str
    kid: str | None = None
    payer: str | None = None
    company_id: int | None = None
    letter_id: int | None = None
    status: PaymentStatus = PaymentStatus.PENDING
    reason: str | None = None
    bank_id: str = ""
    filename: str | None = None
    id: int | None = None
    ordered_on: date | None = None  # the day the debtor's bank got the order, where the file says (R-CLM-14)
    message: str | None = None

    def __post_init__(self) -> None:
        if not self.bank_id:
            object.__setattr__(self, "bank_id", f"file:{self.source}/{self.reference}")


@dataclass(frozen=True, slots=True)
class PostedBankPayment:
    """A payment of the creditor's own bank file that the ledger posted: the bank's identity of it, the file it
    came in and the voucher that posted it (R-LED-5)."""

    bank_id: str
    filename: str
    voucher_id: int


@dataclass(frozen=True, slots=True)
class PaymentApplication:
    """What one client-account payment applied to its letter's claims (``claim_ids`` by collection ID), on the
    day it reached the account: stored with the day's others at once."""

    payment_id: int
    on: date
    claim_ids: dict[str, int]
    applied: tuple[Applied, ...]


@dataclass(frozen=True, slots=True)
class LetterOfKid:
    """What a payment needs of the letter whose KID it carries: whose it is, its number and the day it was written
    (:attr:`StoredLetter.written`)."""

    id: int
    company_id: int
    debtor: str
    n: int
    written: date


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
    note: str | None = None  # the reasons of an answer to an objection (R-CLM-15)
    # R-SVC-2: ``sent_on``, ``deadline`` and ``account`` are the letter as it went out: the day it was sent and the
    # deadline counted from then (until it is sent: as written). ``written_on``: the day the daily run wrote it;
    # ``status`` and ``channel``: where its latest delivery stands (None when not read with it)
    written_on: date | None = None
    status: DeliveryStatus | None = None
    channel: Channel | None = None

    @property
    def sent(self) -> bool:
        """R-SVC-2: handed to print or accepted by the mail server."""
        return self.status is DeliveryStatus.SENT

    @property
    def written(self) -> date:
        """The day the daily run wrote the letter."""
        return self.written_on or self.sent_on

    @property
    def total(self) -> Money:
        return Money.sum((line.total for line in self.lines), self.lines[0].principal.currency if self.lines else "NOK")


@dataclass(frozen=True, slots=True)
class ClaimToMatch:
    """An open claim with the letters that asked for its money (those with a KID), newest first: what a payment
    of the manual-matching queue is matched against (R-CLM-7)."""

    claim: Claim
    letters: tuple[LetterToPay, ...]


@dataclass(frozen=True, slots=True)
class ClaimWaiting:
    """R-SVC-2: a claim that waits because its latest letter could not be sent: since when, and that letter."""

    company_id: int
    collection_id: str
    invoice_number: str
    debtor_number: str
    debtor_name: str
    since: date
    letter_id: int
    letter_type: LetterType
    letter_n: int


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
    """The collection service as letters name it (R-SVC-1), and the client account debtors pay to; ``demo`` marks
    the demo identity of the demo and the what-ifs, which every page of their letters shows."""

    name: str
    orgno: str
    account: str
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    iban: str | None = None
    bic: str | None = None
    demo: bool = False

    def sender(self) -> Sender:
        return Sender(
            self.name,
            self.orgno,
            self.street,
            self.postcode,
            self.city,
            self.email,
            self.phone,
            account=self.account,
            iban=self.iban,
            bic=self.bic,
            demo=self.demo,
        )

    def gaps(self) -> tuple[IdentityGap, ...]:
        """R-SVC-1: what of the identity is missing or invalid (empty: letters may name it)."""
        return identity_gaps(self.sender())


@dataclass(frozen=True, slots=True)
class Document:
    """An archived document: the exact bytes sent, with their SHA-256."""

    kind: DocumentKind
    ref: str
    filename: str
    media_type: str
    sha256: str
    content: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A delivery job to write to the outbox; ``key`` makes it happen once, however often it is written."""

    company_id: int
    kind: DeliveryKind
    ref_id: int
    on_date: date
    channel: Channel
    address: str | None
    key: str
    claims_held: bool = False  # its letter's claims wait for it (R-SVC-2): a paper copy after a later bounce


@dataclass(frozen=True, slots=True)
class Delivery:
    """One letter or list to deliver by e-mail or print; ``delivery_key`` makes a delivery happen once."""

    id: int
    company_id: int
    kind: DeliveryKind
    ref_id: int
    on_date: date
    channel: Channel
    address: str | None
    delivery_key: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    updated_at: datetime
    sent_on: date | None = None  # the business day it was sent (R-SVC-2)
    account: str | None = None  # the account its letter printed
    claims_held: bool = False  # its letter's claims wait for it (R-SVC-2)


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
