"""What Krav holds on one debtor, as the debtor's right of access asks (GDPR art. 15): read through the
repositories, one creditor's data only.

The export names the archived PDF of each letter by its SHA-256 instead of carrying it; ``krav letters pdf`` gives
the document itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from krav.domain.collection.events import EventKind
from krav.domain.collection.letter_content import PaymentApplied
from krav.domain.collection.letters import LetterType
from krav.domain.ledger.open_items import OpenItem
from krav.domain.money import Money
from krav.domain.party import Company, Customer
from krav.services.ports import (
    Channel,
    ClaimFilter,
    DeliveryStatus,
    DocumentKind,
    HistoryEntry,
    ItemFilter,
    LedgerChange,
    PaymentStatus,
    StoredLetter,
    UnitOfWork,
)
from krav.services.queries import ClaimRecord


@dataclass(frozen=True, slots=True)
class Creditor:
    """The creditor (the controller of the data) the export is for."""

    orgno: str
    name: str


@dataclass(frozen=True, slots=True)
class VoucherLineRecord:
    """A posted voucher line naming the customer, with its voucher's number, date, type and text."""

    voucher_number: int
    voucher_date: date
    voucher_type: int
    voucher_text: str
    account: str
    amount: Money
    currency: str
    item: str | None
    settles: tuple[str, ...]
    due_date: date | None
    kid: str | None
    reference: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ClaimExport:
    """A claim of the debtor with its full history and what each of the debtor's payments did to it."""

    claim: ClaimRecord
    history: tuple[HistoryEntry, ...]
    payments: tuple[PaymentApplied, ...]


@dataclass(frozen=True, slots=True)
class ArchivedDocument:
    """A letter's PDF in the archive, named, not carried."""

    ref: str
    filename: str
    sha256: str
    archived_at: datetime


@dataclass(frozen=True, slots=True)
class LetterRecord:
    """A letter to the debtor: its type, dates, amounts, where its delivery stands, and its archived PDF."""

    id: int
    n: int
    type: LetterType
    written_on: date
    sent_on: date | None
    deadline: date | None
    total: Money
    kid: str | None
    account: str | None
    case_number: str | None
    invoices: tuple[str, ...]
    status: DeliveryStatus | None
    channel: Channel | None
    document: ArchivedDocument | None


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """A payment to the client account matched to one of the debtor's letters, as the bank reported it, with what
    the payer wrote (``message``)."""

    received_on: date
    ordered_on: date | None
    amount: Money
    kid: str | None
    reference: str
    payer: str | None
    letter_id: int | None
    status: PaymentStatus
    message: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectionRecord:
    """The debtor's objection to a claim (R-CLM-15): where it stands, and the history entries recording it."""

    invoice_number: str
    collection_id: str
    disputed: bool
    disputed_on: date | None
    answer_due: str | None
    entries: tuple[HistoryEntry, ...]


@dataclass(frozen=True, slots=True)
class PersonalDataExport:
    """Everything Krav holds on one customer of one creditor, as of ``exported_on``."""

    exported_on: date
    creditor: Creditor
    customer: Customer
    open_items: tuple[OpenItem, ...]
    voucher_lines: tuple[VoucherLineRecord, ...]
    claims: tuple[ClaimExport, ...]
    letters: tuple[LetterRecord, ...]
    payments: tuple[PaymentRecord, ...]
    objections: tuple[ObjectionRecord, ...]
    changes: tuple[LedgerChange, ...]


def read_export(uow: UnitOfWork, company: Company, customer: Customer, *, on: date) -> PersonalDataExport:
    """The export of ``customer`` of ``company``, read in the open unit of work ``uow``."""
    assert company.id is not None  # a stored company always has its id
    cid, number = company.id, customer.number
    items = uow.ledger.items(cid, ItemFilter(customer=number))
    claims = uow.collection.claims(cid, ClaimFilter(debtor=number))
    applied = uow.collection.payments_applied(cid, [c.collection_id for c in claims])
    histories = {c.collection_id: tuple(uow.collection.history(cid, c.id)) if c.id else () for c in claims}
    letters = uow.collection.letters(cid, debtor=number)
    letter_ids = {letter.id for letter in letters}
    invoices = {i.number for i in items}
    return PersonalDataExport(
        exported_on=on,
        creditor=Creditor(company.orgno, company.name),
        customer=customer,
        open_items=tuple(items),
        voucher_lines=_voucher_lines(uow, cid, number),
        claims=tuple(
            ClaimExport(ClaimRecord.of(c), histories[c.collection_id], tuple(applied.get(c.collection_id, ())))
            for c in claims
        ),
        letters=tuple(_letter(uow, cid, letter) for letter in letters),
        payments=tuple(
            PaymentRecord(
                p.received_on, p.ordered_on, p.amount, p.kid, p.reference, p.payer, p.letter_id, p.status, p.message
            )
            for p in uow.collection.payments(company_id=cid)
            if p.letter_id in letter_ids
        ),
        objections=tuple(
            ObjectionRecord(
                c.invoice_number,
                c.collection_id,
                c.disputed,
                c.objection_state.disputed_on,
                c.objection_answer_due.value if c.objection_answer_due else None,
                tuple(e for e in histories[c.collection_id] if e.kind is EventKind.OBJECTION),
            )
            for c in claims
            if c.disputed
            or c.objection_answer_due
            or any(e.kind is EventKind.OBJECTION for e in histories[c.collection_id])
        ),
        changes=tuple(
            change
            for change in uow.ledger.changes(cid)
            if (change.subject == "customer" and change.number == number)
            or (change.subject == "item" and change.number in invoices)
        ),
    )


def _voucher_lines(uow: UnitOfWork, cid: int, number: str) -> tuple[VoucherLineRecord, ...]:
    return tuple(
        VoucherLineRecord(
            v.number,
            v.date,
            v.voucher_type,
            v.text,
            line.account,
            line.amount,
            line.amount.currency,
            line.item,
            line.settles,
            line.due_date,
            line.kid,
            line.reference,
            line.text,
        )
        for v in uow.ledger.vouchers(cid)
        for line in v.lines
        if line.customer == number
    )


def _letter(uow: UnitOfWork, cid: int, letter: StoredLetter) -> LetterRecord:
    doc = uow.deliveries.document(cid, DocumentKind.LETTER, str(letter.id))
    return LetterRecord(
        id=letter.id,
        n=letter.n,
        type=letter.type,
        written_on=letter.written,
        sent_on=letter.sent_on if letter.sent else None,
        deadline=letter.deadline,
        total=letter.total,
        kid=letter.kid,
        account=letter.account,
        case_number=letter.case_number,
        invoices=tuple(line.invoice_number for line in letter.lines),
        status=letter.status,
        channel=letter.channel,
        document=None if doc is None else ArchivedDocument(doc.ref, doc.filename, doc.sha256, doc.created_at),
    )
