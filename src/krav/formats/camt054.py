"""ISO 20022 camt.054: the bank's debit/credit notification, versions .001.02 to .001.08 (R-BANK-2).

The version is the namespace of ``Document``: ``urn:iso:std:iso:20022:tech:xsd:camt.054.001.0N``. What Krav
takes from ``BkToCstmrDbtCdtNtfctn``:

* ``GrpHdr/MsgId`` (the file id) and ``GrpHdr/CreDtTm``;
* per ``Ntfctn``: the account credited (``Acct/Id/IBAN`` or ``Acct/Id/Othr/Id``) and, when given, the totals of
  ``TxsSummry`` (``TtlNtries``, ``TtlCdtNtries``, ``TtlDbtNtries``: ``NbOfNtries``, ``Sum``, and the net
  ``TtlNetNtryAmt`` (.02) or ``TtlNetNtry`` (.03 on)), each checked against the entries;
* per ``Ntry``: ``Amt`` and its ``Ccy``, ``CdtDbtInd``, ``RvslInd``, ``Sts`` (``<Sts>BOOK</Sts>``, or
  ``<Sts><Cd>BOOK</Cd></Sts>`` from .08), ``BookgDt`` (else ``ValDt``; ``Dt`` or ``DtTm``) and ``AcctSvcrRef``
  (else ``NtryRef``) for the reference;
* per ``NtryDtls/TxDtls``: the amount (``Amt`` from .03; ``AmtDtls/TxAmt/Amt`` in .02), the KID from
  ``RmtInf/Strd/CdtrRefInf/Ref`` whose ``Tp/CdOrPrtry/Cd`` is ``SCOR`` (or that has no ``Tp``, as some banks
  write it), ``Ustrd`` as free text, ``RltdPties/Dbtr/Nm`` (``Dbtr/Pty/Nm`` in .08) and ``DbtrAcct``,
  ``Refs/EndToEndId``, and ``Refs/AcctSvcrRef`` for the identity.

Which entries are payments, by the direction the bank gives (``CdtDbtInd``) and the ISO definition of
``RvslInd`` ("if CdtDbtInd is DBIT and RvslInd is true, the original entry was a credit"):

====================  ==============  =============================================================
CdtDbtInd             RvslInd         Krav
====================  ==============  =============================================================
CRDT                  absent/false    a payment, positive
DBIT                  true            the reversal of an earlier payment: negative
DBIT                  absent/false    skipped: money out of the account, no payment to it
CRDT                  true            skipped: money back from a reversed debit, no debtor's payment
====================  ==============  =============================================================

An entry whose status is not BOOK (pending, information) is skipped too. A skipped entry's details are not
read. A payment entry may hold several transactions: their amounts must sum to the entry's ``Amt``; each is a
payment. A transaction paying several KIDs at once keeps none (all are named in its free text), so that it goes
to manual matching. A file whose sums do not add up is refused whole, naming the element and its line.

Identity: a payment is the bank's transaction, not the file's bytes; its ``bank_id`` is read from what the bank
identifies it by, in this order:

1. the transaction's ``TxDtls/Refs/AcctSvcrRef``;
2. else the entry's ``AcctSvcrRef``, with the transaction's place in the entry (``/n``) when it holds several;
3. else the entry's ``NtryRef``, likewise;

each with the account credited and the booking date (``BookgDt``, else ``ValDt``), since a bank's reference is
unique for its account and a short one may come round again on another day. The direction is part of it too,
so that a reversal the bank gives the reference of the payment it takes back is not that payment.

4. Where the bank gives no reference at all, a composite key stands for it: the account, the booking date, the
   direction, the amount and currency, the KID, the end-to-end id, the payer's account and the payer's name, and
   the count of the payments of the file agreeing in all of them (the first, the second …). The count keeps two
   equal payments in one file apart, and it does not depend on the order of the entries, since equal payments
   are interchangeable. Its price: the same payment sent twice within one file, without a reference, counts as
   two; and two equal payments without a reference, on one day, arriving in two files count as one.

None of this depends on how the XML is written: line endings, indentation, the order of the entries, or how
they are divided into notifications (the identity uses the notification only for its account). The
format of each is in :mod:`krav.formats.camt054_identity`.

Safety: a DOCTYPE is refused before parsing (billion laughs, external entities); the parser resolves no
entities, loads no DTD, reads no network and keeps libxml2's size limits. The file is streamed with
``iterparse``, each entry cleared once read, so an 80 MB file never sits in memory as a whole tree.

This module streams the file and keeps what it has read; the parts are :mod:`krav.formats.camt054_xml` (safe
parsing, the version), :mod:`krav.formats.camt054_fields` (an element's values),
:mod:`krav.formats.camt054_notification` (a notification's sums and their check),
:mod:`krav.formats.camt054_entries` (an entry's payments) and :mod:`krav.formats.camt054_identity` (their
identity).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lxml import etree

from krav.domain.errors import FileFormatError
from krav.domain.money import Money
from krav.formats.camt054_entries import entry_payments, skip_reason
from krav.formats.camt054_fields import FieldReader
from krav.formats.camt054_identity import CompositeKeys, EntryIdentity
from krav.formats.camt054_notification import Notification, check_summary
from krav.formats.camt054_xml import (
    CAMT054_NAMESPACE,
    SUPPORTED_VERSIONS,
    Element,
    camt054_namespace,
    forget,
    iterparse,
    line_of,
    read_version,
    refuse_doctype,
    syntax_error,
)
from krav.formats.payments import IncomingPayment, PaymentFile, SkippedEntry

__all__ = ["CAMT054_NAMESPACE", "SUPPORTED_VERSIONS", "camt054_namespace", "parse_camt054"]


def parse_camt054(data: bytes, *, filename: str) -> PaymentFile:
    """The payments of a camt.054 notification (versions .001.02 to .001.08), its sums checked (R-BANK-2).

    Raises :class:`FileFormatError` naming ``filename`` with the line and element for: XML that is malformed or
    carries a DOCTYPE; XML that is not camt.054 ("not a payment file"), or a camt.054 version other than 02 to
    08; an entry whose transactions do not sum to it; notification totals that do not match the entries; an
    amount, date or indicator that cannot be read; payments in more than one currency.
    """
    refuse_doctype(data, filename)
    version = read_version(data, filename)
    reader = _Reader(filename, version)
    tags = tuple(reader.tag(name) for name in ("GrpHdr", "Ntfctn", "Ntry"))
    try:
        for event, element in iterparse(data, events=("start", "end"), tag=tags):
            if event == "start":
                if element.tag == reader.tag("Ntfctn"):
                    reader.start_notification(element)
                continue
            if element.tag == reader.tag("Ntry"):
                reader.read_entry(element)
                forget(element)
            elif element.tag == reader.tag("Ntfctn"):
                reader.end_notification(element)
            elif element.tag == reader.tag("GrpHdr"):
                reader.group_header(element)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, filename) from exc
    return reader.result()


class _Reader(FieldReader):
    """Collects payments and skipped entries as the stream passes, with the sums the summary is checked against."""

    def __init__(self, filename: str, version: int) -> None:
        super().__init__(filename, version)
        self.message_id: str | None = None
        self.created: date | None = None
        self.notification: Notification | None = None
        self.notifications = 0
        self.entries = 0
        self.payments: list[IncomingPayment] = []
        self.skipped: list[SkippedEntry] = []
        self.references: set[str] = set()
        self.composites = CompositeKeys()

    # -- group header and notifications ---------------------------------------------------------------------

    def group_header(self, header: Element) -> None:
        parent = header.getparent()
        if parent is None or parent.tag != self.tag("BkToCstmrDbtCdtNtfctn"):
            raise self.error("GrpHdr outside BkToCstmrDbtCdtNtfctn", header, "GrpHdr")
        self.message_id = self.text(header, "c:MsgId")
        if self.message_id is None:
            raise self.error("the group header has no MsgId", header, "GrpHdr/MsgId")
        created = self.text(header, "c:CreDtTm")
        if created is not None:
            self.created = self.parse_date(created, header, "GrpHdr/CreDtTm")

    def start_notification(self, element: Element) -> None:
        self.notifications += 1
        self.notification = Notification(line=line_of(element))

    def account(self, notification: Element) -> str | None:
        current = self.notification
        assert current is not None
        if not current.account_read:
            acct = self.node(notification, "c:Acct/c:Id")
            if acct is not None:
                current.account = self.text(acct, "c:IBAN") or self.text(acct, "c:Othr/c:Id")
            current.account_read = True
        return current.account

    def end_notification(self, element: Element) -> None:
        current = self.notification
        assert current is not None
        summary = self.node(element, "c:TxsSummry")
        if summary is not None:
            check_summary(self, summary, current)
        self.notification = None

    # -- entries ----------------------------------------------------------------------------------------------

    def read_entry(self, entry: Element) -> None:
        """An entry the parser has read whole: nothing in it changes until it is forgotten, so its elements'
        children are looked up in indexes made once (:attr:`FieldReader.children`)."""
        self.children = {}
        try:
            self.entry(entry)
        finally:
            self.children = None

    def entry(self, entry: Element) -> None:
        current = self.notification
        if current is None:
            raise self.error("an entry outside a notification", entry, "Ntry")
        self.entries += 1
        amount = self.amount(entry, "c:Amt", "Ntry/Amt")
        direction = self.text(entry, "c:CdtDbtInd")
        if direction not in ("CRDT", "DBIT"):
            raise self.error(f"CdtDbtInd is {direction!r}; it must be CRDT or DBIT", entry, "Ntry/CdtDbtInd")
        reversal = (self.text(entry, "c:RvslInd") or "false").lower() in ("true", "1")
        current.all.add(amount.amount)
        (current.credits if direction == "CRDT" else current.debits).add(amount.amount)
        status = self.text(entry, "c:Sts/c:Cd") or self.text(entry, "c:Sts/c:Prtry") or self.text(entry, "c:Sts")
        booked = self.booked_on(entry)
        servicer_reference, entry_reference = self.text(entry, "c:AcctSvcrRef"), self.text(entry, "c:NtryRef")
        base = self.unique(servicer_reference or entry_reference or f"entry-{self.entries}")
        reason = skip_reason(status, direction, reversal)
        if reason is not None:
            self.skipped.append(SkippedEntry(base, amount, reason, booked, line_of(entry)))
            return
        if booked is None:
            raise self.error("the entry has neither BookgDt nor ValDt", entry, "Ntry/BookgDt")
        parent = entry.getparent()
        creditor = self.account(parent) if parent is not None else None
        identity = EntryIdentity(booked, reversal, servicer_reference, entry_reference)
        for payment in entry_payments(self, entry, amount, direction, booked, base, creditor, identity):
            if reversal:
                payment = replace(payment, amount=-payment.amount)
            if not payment.bank_id:
                payment = replace(payment, bank_id=self.composites.key(payment, identity))
            self.payments.append(payment)

    def unique(self, reference: str) -> str:
        if reference in self.references:
            reference = f"{reference}@entry-{self.entries}"
        self.references.add(reference)
        return reference

    # -- the file -----------------------------------------------------------------------------------------------

    def result(self) -> PaymentFile:
        if self.message_id is None:
            raise FileFormatError(self.filename, "no BkToCstmrDbtCdtNtfctn/GrpHdr with a MsgId", element="GrpHdr")
        if self.notifications == 0:
            raise FileFormatError(self.filename, "the notification message holds no Ntfctn", element="Ntfctn")
        currencies = sorted({p.amount.currency for p in self.payments})
        if len(currencies) > 1:
            raise FileFormatError(
                self.filename,
                f"payments in several currencies ({', '.join(currencies)}): Krav imports a file in one currency",
                element="Ntry/Amt",
            )
        currency = currencies[0] if currencies else "NOK"
        return PaymentFile(
            format=f"camt054.001.{self.version:02d}",
            file_id=self.message_id,
            created=self.created,
            payments=tuple(self.payments),
            skipped=tuple(self.skipped),
            total=Money.sum((p.amount for p in self.payments), currency),
            filename=self.filename,
        )
