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
  write it), ``Ustrd`` as free text, ``RltdPties/Dbtr/Nm`` (``Dbtr/Pty/Nm`` in .08) and ``DbtrAcct``, and
  ``Refs/EndToEndId``.

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

Safety: a DOCTYPE is refused before parsing (billion laughs, external entities); the parser resolves no
entities, loads no DTD, reads no network and keeps libxml2's size limits. The file is streamed with
``iterparse``, each entry cleared once read, so an 80 MB file never sits in memory as a whole tree.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from krav.domain.errors import FileFormatError
from krav.domain.money import ORE, Money
from krav.formats.payments import IncomingPayment, PaymentFile, SkippedEntry

__all__ = ["CAMT054_NAMESPACE", "SUPPORTED_VERSIONS", "camt054_namespace", "parse_camt054"]

CAMT054_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.{version:02d}"
SUPPORTED_VERSIONS = tuple(range(2, 9))
_ISO_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.001\.(\d{2})$")
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DOCTYPE_REFUSED = (
    "the file carries a DOCTYPE (a DTD or entity declarations); camt.054 files have none and Krav refuses "
    "them, as entities can expand without limit or read other files"
)
_Element = etree._Element


def camt054_namespace(version: int) -> str:
    """The namespace of camt.054.001.0``version``."""
    return CAMT054_NAMESPACE.format(version=version)


def parse_camt054(data: bytes, *, filename: str) -> PaymentFile:
    """The payments of a camt.054 notification (versions .001.02 to .001.08), its sums checked (R-BANK-2).

    Raises :class:`FileFormatError` naming ``filename`` with the line and element for: XML that is malformed or
    carries a DOCTYPE; XML that is not camt.054 ("not a payment file"), or a camt.054 version other than 02 to
    08; an entry whose transactions do not sum to it; notification totals that do not match the entries; an
    amount, date or indicator that cannot be read; payments in more than one currency.
    """
    _refuse_doctype(data, filename)
    version = _version(data, filename)
    reader = _Reader(filename, version)
    tags = tuple(reader.tag(name) for name in ("GrpHdr", "Ntfctn", "Ntry"))
    try:
        for event, element in _iterparse(data, events=("start", "end"), tag=tags):
            if event == "start":
                if element.tag == reader.tag("Ntfctn"):
                    reader.start_notification(element)
                continue
            if element.tag == reader.tag("Ntry"):
                reader.entry(element)
                _forget(element)
            elif element.tag == reader.tag("Ntfctn"):
                reader.end_notification(element)
            elif element.tag == reader.tag("GrpHdr"):
                reader.group_header(element)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, filename) from exc
    return reader.result()


# -- XML, safely ------------------------------------------------------------------------------------------------


def _iterparse(data: bytes, **options: Any) -> Iterator[tuple[str, _Element]]:
    parse: Any = etree.iterparse  # lxml-stubs do not know these keyword arguments
    events: Iterator[tuple[str, _Element]] = parse(
        io.BytesIO(data),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        **options,
    )
    return events


def _refuse_doctype(data: bytes, filename: str) -> None:
    # First line of defence: a byte search before the parser sees anything (UTF-16 decoded first). The parser
    # options and the docinfo check in _version are the second and third.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:65536].decode("utf-16", errors="ignore").encode("utf-8")
    else:
        head = data[:65536] if len(data) > 65536 else data
    root_start = _ROOT_START.search(head)
    prolog = head[: root_start.start()] if root_start else head
    if b"<!DOCTYPE" in prolog.upper():
        line = prolog[: prolog.upper().index(b"<!DOCTYPE")].count(b"\n") + 1
        raise FileFormatError(filename, _DOCTYPE_REFUSED, line=line)


def _syntax_error(exc: etree.XMLSyntaxError, filename: str) -> FileFormatError:
    line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
    return FileFormatError(filename, f"not well-formed XML: {exc.msg}", line=line)


def _version(data: bytes, filename: str) -> int:
    """The camt.054 version of the root element, read from the first start event only."""
    try:
        root = next((element for _, element in _iterparse(data, events=("start",))), None)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, filename) from exc
    if root is None:
        raise FileFormatError(filename, "not a payment file: no XML element in the file")
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lag behind lxml here
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise FileFormatError(filename, _DOCTYPE_REFUSED)
    qname = etree.QName(root)
    match = _ISO_NAMESPACE.match(qname.namespace or "")
    line = _line_of(root)
    if qname.localname != "Document" or match is None:
        raise FileFormatError(
            filename,
            f"not a payment file: XML whose root element is {root.tag}, not an ISO 20022 camt.054 Document "
            f"(namespace {camt054_namespace(2)} to …{SUPPORTED_VERSIONS[-1]:02d})",
            line=line,
        )
    message, version = match.group(1), int(match.group(2))
    if message != "camt.054":
        raise FileFormatError(
            filename,
            f"not a payment file: an ISO 20022 {message}.001.{version:02d} message; Krav reads the bank's "
            "debit/credit notification camt.054",
            line=line,
        )
    if version not in SUPPORTED_VERSIONS:
        raise FileFormatError(
            filename,
            f"camt.054.001.{version:02d} is not supported: Krav reads versions .001.02 to "
            f".001.{SUPPORTED_VERSIONS[-1]:02d}",
            line=line,
        )
    return version


def _forget(entry: _Element) -> None:
    """Free an entry once read, and the entries before it, so the tree does not grow with the file."""
    entry.clear()
    parent = entry.getparent()
    previous = entry.getprevious()
    while parent is not None and previous is not None and previous.tag == entry.tag:
        parent.remove(previous)
        previous = entry.getprevious()


def _line_of(element: _Element) -> int | None:
    line: object = element.sourceline
    return line if isinstance(line, int) else None


# -- reading ------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Totals:
    count: int = 0
    total: Decimal = field(default_factory=Decimal)

    def add(self, amount: Decimal) -> None:
        self.count += 1
        self.total += amount


@dataclass(slots=True)
class _Notification:
    line: int | None
    account: str | None = None
    account_read: bool = False
    all: _Totals = field(default_factory=_Totals)
    credits: _Totals = field(default_factory=_Totals)
    debits: _Totals = field(default_factory=_Totals)


class _Reader:
    """Collects payments and skipped entries as the stream passes, with the sums the summary is checked against."""

    def __init__(self, filename: str, version: int) -> None:
        self.filename = filename
        self.version = version
        self.namespace = camt054_namespace(version)
        self.paths: dict[str, tuple[str, ...]] = {}
        self.message_id: str | None = None
        self.created: date | None = None
        self.notification: _Notification | None = None
        self.notifications = 0
        self.entries = 0
        self.payments: list[IncomingPayment] = []
        self.skipped: list[SkippedEntry] = []
        self.references: set[str] = set()

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}"

    def error(self, problem: str, element: _Element, path: str) -> FileFormatError:
        return FileFormatError(self.filename, problem, line=_line_of(element), element=path)

    def q(self, path: str) -> tuple[str, ...]:
        """``path``, steps written ``c:Name``, as a tuple of Clark names (cached)."""
        steps = self.paths.get(path)
        if steps is None:
            steps = tuple(f"{{{self.namespace}}}{step.removeprefix('c:')}" for step in path.split("/"))
            self.paths[path] = steps
        return steps

    def node(self, element: _Element, path: str) -> _Element | None:
        """The first element at ``path`` below ``element``, following the first match at each step.

        ``iterchildren`` with a tag filters in C and is about twice as fast as ``find`` with a path, which counts
        on a file of 100 000 entries.
        """
        found = element
        for tag in self.q(path):
            child = next(found.iterchildren(tag), None)
            if child is None:
                return None
            found = child
        return found

    def nodes(self, element: _Element, path: str) -> list[_Element]:
        """Every element at ``path`` below ``element``, in document order."""
        found = [element]
        for tag in self.q(path):
            found = [child for parent in found for child in parent.iterchildren(tag)]
        return found

    def text(self, element: _Element, path: str) -> str | None:
        node = self.node(element, path)
        value = node.text if node is not None else None
        if value is None:
            return None
        value = value.strip()
        return value or None

    # -- group header and notifications ---------------------------------------------------------------------

    def group_header(self, header: _Element) -> None:
        parent = header.getparent()
        if parent is None or parent.tag != self.tag("BkToCstmrDbtCdtNtfctn"):
            raise self.error("GrpHdr outside BkToCstmrDbtCdtNtfctn", header, "GrpHdr")
        self.message_id = self.text(header, "c:MsgId")
        if self.message_id is None:
            raise self.error("the group header has no MsgId", header, "GrpHdr/MsgId")
        created = self.text(header, "c:CreDtTm")
        if created is not None:
            self.created = self.parse_date(created, header, "GrpHdr/CreDtTm")

    def start_notification(self, element: _Element) -> None:
        self.notifications += 1
        self.notification = _Notification(line=_line_of(element))

    def account(self, notification: _Element) -> str | None:
        current = self.notification
        assert current is not None
        if not current.account_read:
            acct = self.node(notification, "c:Acct/c:Id")
            if acct is not None:
                current.account = self.text(acct, "c:IBAN") or self.text(acct, "c:Othr/c:Id")
            current.account_read = True
        return current.account

    def end_notification(self, element: _Element) -> None:
        current = self.notification
        assert current is not None
        summary = self.node(element, "c:TxsSummry")
        if summary is not None:
            self.check_summary(summary, current)
        self.notification = None

    def check_summary(self, summary: _Element, sums: _Notification) -> None:
        for name, found in (("TtlNtries", sums.all), ("TtlCdtNtries", sums.credits), ("TtlDbtNtries", sums.debits)):
            part = self.node(summary, f"c:{name}")
            if part is None:
                continue
            self.check_declared(part, f"Ntfctn/TxsSummry/{name}", found)
        total = self.node(summary, "c:TtlNtries")
        if total is None:
            return
        net = sums.credits.total - sums.debits.total
        amount = self.node(total, "c:TtlNetNtryAmt")  # .02
        indicator_path = "c:CdtDbtInd"
        path = "Ntfctn/TxsSummry/TtlNtries/TtlNetNtryAmt"
        if amount is None:  # .03 on
            amount = self.node(total, "c:TtlNetNtry/c:Amt")
            indicator_path = "c:TtlNetNtry/c:CdtDbtInd"
            path = "Ntfctn/TxsSummry/TtlNtries/TtlNetNtry/Amt"
        if amount is None:
            return
        declared = self.decimal(amount.text, amount, path)
        if self.text(total, indicator_path) == "DBIT":
            declared = -declared
        if declared != net:
            raise self.error(
                f"the notification declares a net amount of {declared}; its entries net {net} (credits "
                f"{sums.credits.total} less debits {sums.debits.total}): the file is refused whole",
                amount,
                path,
            )

    def check_declared(self, part: _Element, path: str, found: _Totals) -> None:
        count = self.node(part, "c:NbOfNtries")
        if count is not None:
            text = (count.text or "").strip()
            if not text.isdigit() or int(text) != found.count:
                raise self.error(
                    f"the notification declares {text!r} entries here; it holds {found.count}: the file is refused "
                    "whole",
                    count,
                    f"{path}/NbOfNtries",
                )
        total = self.node(part, "c:Sum")
        if total is not None:
            declared = self.decimal(total.text, total, f"{path}/Sum")
            if declared != found.total:
                raise self.error(
                    f"the notification declares a sum of {declared}; its entries sum to {found.total}: the file is "
                    "refused whole",
                    total,
                    f"{path}/Sum",
                )

    # -- entries ----------------------------------------------------------------------------------------------

    def entry(self, entry: _Element) -> None:
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
        base = self.unique(
            self.text(entry, "c:AcctSvcrRef") or self.text(entry, "c:NtryRef") or f"entry-{self.entries}"
        )
        reason = None
        if status != "BOOK":
            reason = f"entry status {status or 'missing'}: not booked"
        elif direction == "DBIT" and not reversal:
            reason = "a debit entry: money out of the account, no payment to it"
        elif direction == "CRDT" and reversal:
            reason = (
                "a credit reversing an earlier debit (RvslInd true): money back to the account, no debtor's payment"
            )
        if reason is not None:
            self.skipped.append(SkippedEntry(base, amount, reason, booked, _line_of(entry)))
            return
        if booked is None:
            raise self.error("the entry has neither BookgDt nor ValDt", entry, "Ntry/BookgDt")
        sign = -1 if reversal else 1
        parent = entry.getparent()
        creditor = self.account(parent) if parent is not None else None
        for payment in self.entry_payments(entry, amount, direction, booked, base, creditor):
            self.payments.append(payment if sign > 0 else replace(payment, amount=-payment.amount))

    def entry_payments(
        self, entry: _Element, amount: Money, direction: str, booked: date, base: str, creditor: str | None
    ) -> list[IncomingPayment]:
        transactions: list[_Element] = []
        for details in self.nodes(entry, "c:NtryDtls"):
            found = self.nodes(details, "c:TxDtls")
            batch = self.node(details, "c:Btch/c:NbOfTxs")
            if batch is not None and found and (batch.text or "").strip() != str(len(found)):
                raise self.error(
                    f"the batch declares {(batch.text or '').strip()!r} transactions; the entry lists {len(found)}",
                    batch,
                    "Ntry/NtryDtls/Btch/NbOfTxs",
                )
            transactions.extend(found)
        entry_text = self.text(entry, "c:AddtlNtryInf")
        if not transactions:
            return [
                IncomingPayment(
                    reference=base,
                    amount=amount,
                    paid_on=booked,
                    kid=None,
                    free_text=entry_text,
                    creditor_account=creditor,
                    source_line=_line_of(entry),
                )
            ]
        amounts: list[Money] = []
        for transaction in transactions:
            if self.node(transaction, "c:CdtDbtInd") is not None and self.text(transaction, "c:CdtDbtInd") != direction:
                raise self.error(
                    f"a transaction whose CdtDbtInd is not the entry's ({direction})",
                    transaction,
                    "Ntry/NtryDtls/TxDtls/CdtDbtInd",
                )
            if self.node(transaction, "c:Amt") is not None:
                amounts.append(self.amount(transaction, "c:Amt", "Ntry/NtryDtls/TxDtls/Amt"))
            elif self.node(transaction, "c:AmtDtls/c:TxAmt/c:Amt") is not None:
                amounts.append(
                    self.amount(transaction, "c:AmtDtls/c:TxAmt/c:Amt", "Ntry/NtryDtls/TxDtls/AmtDtls/TxAmt/Amt")
                )
            elif len(transactions) == 1:
                amounts.append(amount)
            else:
                raise self.error(
                    f"one of the entry's {len(transactions)} transactions has no amount (Amt or AmtDtls/TxAmt/Amt): "
                    "the entry cannot be split",
                    transaction,
                    "Ntry/NtryDtls/TxDtls",
                )
        currencies = {a.currency for a in amounts}
        if currencies != {amount.currency}:
            raise self.error(
                f"the transactions are in {', '.join(sorted(currencies))}, the entry in {amount.currency}",
                entry,
                "Ntry/NtryDtls/TxDtls",
            )
        total = Money.sum(amounts, amount.currency)
        if total != amount:
            raise self.error(
                f"the entry's {len(transactions)} transactions sum to {total.amount}; the entry's Amt is "
                f"{amount.amount}: the file is refused whole",
                entry,
                "Ntry/NtryDtls/TxDtls",
            )
        return [
            self.transaction_payment(transaction, part, booked, f"{base}/{n}", creditor, entry_text)
            for n, (transaction, part) in enumerate(zip(transactions, amounts, strict=True), start=1)
        ]

    def transaction_payment(
        self, tx: _Element, amount: Money, booked: date, reference: str, creditor: str | None, entry_text: str | None
    ) -> IncomingPayment:
        payer_name = payer_account = None
        parties = self.node(tx, "c:RltdPties")
        if parties is not None:
            payer_name = self.first(
                parties, "c:Dbtr/c:Nm", "c:Dbtr/c:Pty/c:Nm", "c:UltmtDbtr/c:Nm", "c:UltmtDbtr/c:Pty/c:Nm"
            )
            payer_account = self.first(parties, "c:DbtrAcct/c:Id/c:IBAN", "c:DbtrAcct/c:Id/c:Othr/c:Id")
            creditor = creditor or self.first(parties, "c:CdtrAcct/c:Id/c:IBAN", "c:CdtrAcct/c:Id/c:Othr/c:Id")
        kids: list[str] = []
        texts: list[str] = []
        remittance = self.node(tx, "c:RmtInf")
        if remittance is not None:
            kids = self.kids(remittance)
            texts = self.texts(remittance, "c:Ustrd") or self.texts(remittance, "c:Strd/c:AddtlRmtInf")
        free_text = " ".join(texts) or self.text(tx, "c:AddtlTxInf") or entry_text
        if len(kids) > 1:
            free_text = " ".join(p for p in (f"KIDs: {', '.join(kids)}.", free_text) if p)
        end_to_end = self.text(tx, "c:Refs/c:EndToEndId")
        return IncomingPayment(
            reference=reference,
            amount=amount,
            paid_on=booked,
            kid=kids[0] if len(kids) == 1 else None,
            payer_name=payer_name,
            payer_account=payer_account,
            free_text=free_text,
            creditor_account=creditor,
            source_line=_line_of(tx),
            end_to_end_id=None if end_to_end == "NOTPROVIDED" else end_to_end,
        )

    def kids(self, remittance: _Element) -> list[str]:
        """The distinct KIDs of a transaction's ``RmtInf``: creditor references typed SCOR, or untyped
        (R-BANK-1, R-BANK-2)."""
        kids: list[str] = []
        for reference in self.nodes(remittance, "c:Strd/c:CdtrRefInf"):
            value = self.text(reference, "c:Ref")
            typed = self.node(reference, "c:Tp") is not None
            if value is None or (typed and self.text(reference, "c:Tp/c:CdOrPrtry/c:Cd") != "SCOR"):
                continue
            kid = "".join(value.split())
            if kid not in kids:
                kids.append(kid)
        return kids

    def texts(self, element: _Element, path: str) -> list[str]:
        return [text for text in ((e.text or "").strip() for e in self.nodes(element, path)) if text]

    # -- fields --------------------------------------------------------------------------------------------------

    def first(self, element: _Element, *paths: str) -> str | None:
        for path in paths:
            value = self.text(element, path)
            if value is not None:
                return value
        return None

    def unique(self, reference: str) -> str:
        if reference in self.references:
            reference = f"{reference}@entry-{self.entries}"
        self.references.add(reference)
        return reference

    def decimal(self, text: str | None, element: _Element, path: str) -> Decimal:
        value = (text or "").strip()
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number < 0:
            raise self.error(f"{value!r} is not an amount", element, path)
        return number

    def amount(self, element: _Element, path: str, name: str) -> Money:
        node = self.node(element, path)
        if node is None:
            raise self.error(f"{name.rsplit('/', 1)[-1]} is missing", element, name)
        number = self.decimal(node.text, node, name)
        if number != number.quantize(ORE):
            raise self.error(f"{number} has more than two decimals", node, name)
        currency = (node.get("Ccy") or "").strip()
        if not _CURRENCY.match(currency):
            raise self.error(f"the currency (Ccy) is {currency!r}, not an ISO 4217 code", node, name)
        return Money(number.quantize(ORE), currency)

    def parse_date(self, text: str, element: _Element, path: str) -> date:
        try:
            return date.fromisoformat(text.strip()[:10])
        except ValueError as exc:
            raise self.error(f"{text!r} is not a date", element, path) from exc

    def booked_on(self, entry: _Element) -> date | None:
        for name in ("BookgDt", "ValDt"):
            holder = self.node(entry, f"c:{name}")
            if holder is None:
                continue
            text = self.text(holder, "c:Dt") or self.text(holder, "c:DtTm")
            if text is not None:
                return self.parse_date(text, holder, f"Ntry/{name}")
        return None

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
