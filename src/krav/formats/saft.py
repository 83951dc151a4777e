"""Norwegian SAF-T Financial (1.10 and 1.30): read customers, balances and receivables lines (R-IMP-1).

Skatteetaten's standard audit file: namespace ``urn:StandardAuditFile-Taxation-Financial:NO``, schemas
``Norwegian_SAF-T_Financial_Schema_v_1.10.xsd`` and ``…_v_1.30.xsd`` (github.com/Skatteetaten/saf-t). What
Krav takes from it:

* ``Header``: AuditFileVersion, the company's RegistrationNumber and Name, DefaultCurrencyCode and the
  selection period (``SelectionStartDate``/``SelectionEndDate``, or ``PeriodStart``/``PeriodStartYear`` …
  ``PeriodEnd``/``PeriodEndYear`` as months: the start is the first day of the start month).
* ``MasterFiles/Customers/Customer``: CustomerID, Name, an address, an e-mail, the RegistrationNumber (kept as
  organisation number only when it passes MOD11, which makes the customer a business), PaymentTerms/Days, the
  receivables AccountID and the opening and closing balances. 1.10 has AccountID and the balances directly in
  ``Customer``; 1.30 has them in ``Customer/BalanceAccount`` (zero or more, summed here).
* ``GeneralLedgerEntries/Journal/Transaction/Line`` on a receivables account that names a customer: both
  versions put it in the line's ``CustomerID`` (the transaction's own ``CustomerID`` is "not in use" and read
  only when the line has none). Amount: ``DebitAmount/Amount`` positive, ``CreditAmount/Amount`` negative, in
  the header's default currency; ReferenceNumber, SourceDocumentID, DueDate and Description as written.

The file is parsed without DTDs, entities or network access, and refused if it carries a DOCTYPE at all
(billion laughs, external entities). Its AuditFileVersion must be one Krav reads (:data:`AUDIT_FILE_VERSIONS`:
1.10, whose official example says ``1.0``, or 1.30), and the file must validate against the schema of its
version (the other is tried next). Dates lie from 1990 to 2099 and amounts within 100 000 000 000,00
(:mod:`krav.domain.plausible`); a balance element (``OpeningDebitBalance`` …) holds no sign, its name says the
side. The customers are read by :mod:`krav.formats.saft_customers`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from krav.domain.errors import FieldError, FileFormatError, ImportRefused, Problem
from krav.domain.ledger.rebuild import (
    DEFAULT_TERMS_DAYS,
    CustomerBalances,
    LedgerLine,
    RebuildResult,
    rebuild_open_items,
)
from krav.domain.money import Money
from krav.domain.plausible import EARLIEST_DATE, LATEST_DATE
from krav.formats.saft_customers import SaftCustomer, read_customers
from krav.formats.saft_values import NS, SAFT_NAMESPACE, Element, line_of, saft_date, saft_money, text_of

__all__ = [
    "SAFT_NAMESPACE",
    "SCHEMA_FILES",
    "SaftCustomer",
    "SaftFile",
    "SaftHeader",
    "SaftLine",
    "parse_saft",
    "rebuild_from_saft",
]

SCHEMA_FILES = {
    "1.10": "Norwegian_SAF-T_Financial_Schema_v_1.10.xsd",
    "1.30": "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd",
}
#: The AuditFileVersion values Krav reads, and the schema each names: 1.10 (whose official example file says
#: "1.0") and 1.30. Any other is refused before validation, as a schema may accept it while meaning another.
AUDIT_FILE_VERSIONS = {"1.0": "1.10", "1.00": "1.10", "1.1": "1.10", "1.10": "1.10", "1.3": "1.30", "1.30": "1.30"}


@dataclass(frozen=True, slots=True)
class SaftHeader:
    """What the file says about itself and the company it was exported from."""

    audit_file_version: str  # as written in the file, e.g. "1.0"
    schema_version: str  # the schema it validated against: "1.10" or "1.30"
    company_orgno: str
    company_name: str
    default_currency: str
    period_start: date
    period_end: date
    created: date


@dataclass(frozen=True, slots=True)
class SaftLine:
    """A general-ledger line on a receivables account that names a customer; ``amount`` debit positive."""

    journal_id: str
    transaction_id: str
    transaction_date: date
    record_id: str
    account_id: str
    customer_id: str
    amount: Money  # in the header's default currency
    currency: str  # the line's currency (its CurrencyCode, else the default currency)
    currency_amount: Money | None  # the amount in that currency, when the file gives it
    reference_number: str | None
    source_document_id: str | None
    due_date: date | None
    description: str
    source_line: int | None = None


@dataclass(frozen=True, slots=True)
class SaftFile:
    """A parsed SAF-T Financial file: header, customers, receivables accounts and their customer lines."""

    filename: str
    header: SaftHeader
    customers: tuple[SaftCustomer, ...]
    receivable_accounts: tuple[str, ...]
    lines: tuple[SaftLine, ...]

    def balances(self) -> list[CustomerBalances]:
        """The customers as the R-IMP-1 rebuild takes them."""
        return [
            CustomerBalances(
                customer=c.customer.number,
                opening=c.opening_balance,
                closing=c.closing_balance,
                payment_terms_days=c.customer.payment_terms_days,
            )
            for c in self.customers
        ]

    def ledger_lines(self) -> list[LedgerLine]:
        """The receivables lines as the R-IMP-1 rebuild takes them."""
        return [
            LedgerLine(
                transaction_id=line.transaction_id,
                record_id=line.record_id,
                customer=line.customer_id,
                transaction_date=line.transaction_date,
                amount=line.amount,
                reference_number=line.reference_number,
                source_document_id=line.source_document_id,
                due_date=line.due_date,
                description=line.description,
            )
            for line in self.lines
        ]


def rebuild_from_saft(saft: SaftFile, *, default_terms_days: int = DEFAULT_TERMS_DAYS) -> RebuildResult:
    """R-IMP-1: the open items of every customer in the file; :class:`ImportRefused` if a customer's items do
    not sum to its closing balance."""
    return rebuild_open_items(
        saft.balances(),
        saft.ledger_lines(),
        period_start=saft.header.period_start,
        default_terms_days=default_terms_days,
        source=saft.filename,
    )


# -- parsing ------------------------------------------------------------------------------------------------


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
    )


def parse_saft(data: bytes, *, filename: str, schema_dir: Path) -> SaftFile:
    """Read a Norwegian SAF-T Financial file (1.10 or 1.30) validated against the official schema.

    ``schema_dir`` holds the XSD files named in :data:`SCHEMA_FILES`. Raises :class:`FileFormatError` naming
    ``filename`` and the line for XML that is malformed, carries a DOCTYPE, is no SAF-T Financial file or
    fails the schema; :class:`ImportRefused` when a customer record cannot be taken.
    """
    root = _parse_xml(data, filename)
    version_text = (root.findtext("n:Header/n:AuditFileVersion", namespaces=NS) or "").strip()
    version = AUDIT_FILE_VERSIONS.get(version_text)
    if version is None:
        raise FileFormatError(
            filename,
            f"AuditFileVersion {version_text!r} is not a SAF-T Financial version Krav reads (1.10 or 1.30)",
            line=line_of(root),
            element="Header/AuditFileVersion",
        )
    schema_version = _validate(root, version, filename, schema_dir)
    header = _header(root, version_text, schema_version, filename)
    customers = read_customers(root, header.default_currency, filename)
    accounts = tuple(sorted({a for c in customers for a in c.account_ids}))
    lines = _lines(root, set(accounts), header.default_currency, filename)
    return SaftFile(filename, header, customers, accounts, lines)


_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE_REFUSED = (
    "the file carries a DOCTYPE (a DTD or entity declarations); SAF-T files have none and Krav refuses "
    "them, as entities can expand without limit or read other files"
)


def _parse_xml(data: bytes, filename: str) -> Element:
    # Refuse a DOCTYPE before parsing at all; the parser settings and the docinfo check below are the
    # second and third lines of defence (for encodings this byte search does not see).
    root_start = _ROOT_START.search(data)
    prolog = data[: root_start.start()] if root_start else data
    if b"<!DOCTYPE" in prolog:
        raise FileFormatError(filename, _DOCTYPE_REFUSED, line=prolog[: prolog.index(b"<!DOCTYPE")].count(b"\n") + 1)
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise FileFormatError(filename, f"not well-formed XML: {exc.msg}", line=line) from exc
    if root is None:
        raise FileFormatError(filename, "empty file: no XML document")
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lag behind lxml here
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise FileFormatError(filename, _DOCTYPE_REFUSED)
    if root.tag != f"{{{SAFT_NAMESPACE}}}AuditFile":
        raise FileFormatError(
            filename,
            f"not a Norwegian SAF-T Financial file: the root element is {root.tag}, expected AuditFile in "
            f"namespace {SAFT_NAMESPACE}",
            line=line_of(root),
        )
    return root


def _load_schema(schema_dir: Path, version: str) -> etree.XMLSchema:
    path = schema_dir / SCHEMA_FILES[version]
    if not path.is_file():
        raise FileNotFoundError(f"SAF-T Financial {version} schema not found: {path}")
    return etree.XMLSchema(etree.parse(str(path), _safe_parser()))


def _validate(root: Element, version: str, filename: str, schema_dir: Path) -> str:
    """The schema version the file validates against; ``version``, the one its AuditFileVersion names, is tried
    first."""
    first, second = (version, "1.10" if version == "1.30" else "1.30")
    errors: list[tuple[int | None, str]] = []
    for version in (first, second):
        schema = _load_schema(schema_dir, version)
        if schema.validate(root):
            return version
        if not errors:
            log: Any = schema.error_log  # lxml-stubs do not declare it iterable
            errors = [(entry.line if entry.line > 0 else None, str(entry.message)) for entry in log]
    line, message = errors[0] if errors else (None, "unknown schema error")
    more = f" ({len(errors) - 1} more schema error(s) after this one)" if len(errors) > 1 else ""
    raise FileFormatError(
        filename,
        f"does not follow the Norwegian SAF-T Financial {first} schema (nor {second}): {message}{more}",
        line=line,
    )


def _header(root: Element, version_text: str, schema_version: str, filename: str) -> SaftHeader:
    header = root.find("n:Header", NS)
    assert header is not None  # the schema requires it
    currency = text_of(header, "n:DefaultCurrencyCode") or "NOK"
    start, end = _selection_period(header, filename)
    return SaftHeader(
        audit_file_version=version_text,
        schema_version=schema_version,
        company_orgno=text_of(header, "n:Company/n:RegistrationNumber") or "",
        company_name=text_of(header, "n:Company/n:Name") or "",
        default_currency=currency,
        period_start=start,
        period_end=end,
        created=saft_date(
            text_of(header, "n:AuditFileDateCreated") or "",
            field="Header/AuditFileDateCreated",
            where=f"{filename}, line {line_of(header)}",
        ),
    )


def _selection_period(header: Element, filename: str) -> tuple[date, date]:
    criteria = header.find("n:SelectionCriteria", NS)
    if criteria is None:
        raise FileFormatError(
            filename,
            "the header has no SelectionCriteria: the selection period dates the opening balances",
            line=line_of(header),
            element="Header",
        )
    where = f"{filename}, line {line_of(criteria)}"
    start_date = text_of(criteria, "n:SelectionStartDate")
    if start_date is not None:
        end_date = text_of(criteria, "n:SelectionEndDate") or start_date
        return (
            saft_date(start_date, field="SelectionCriteria/SelectionStartDate", where=where),
            saft_date(end_date, field="SelectionCriteria/SelectionEndDate", where=where),
        )
    start_month = int(text_of(criteria, "n:PeriodStart") or "1")
    start_year = int(text_of(criteria, "n:PeriodStartYear") or "0")
    end_month = int(text_of(criteria, "n:PeriodEnd") or str(start_month))
    end_year = int(text_of(criteria, "n:PeriodEndYear") or str(start_year))
    if not 1 <= start_month <= 12:
        raise FileFormatError(
            filename,
            f"PeriodStart {start_month} is not a month (1-12)",
            line=line_of(criteria),
            element="SelectionCriteria",
        )
    for name, year in (("PeriodStartYear", start_year), ("PeriodEndYear", end_year)):
        if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
            raise FieldError(f"SelectionCriteria/{name}", f"{year} is not a plausible year", where=where)
    end_month = min(max(end_month, 1), 12)  # some systems count a 13th (closing) period: it ends in December
    last_day = calendar.monthrange(end_year, end_month)[1]
    return date(start_year, start_month, 1), date(end_year, end_month, last_day)


# -- general ledger lines -----------------------------------------------------------------------------------


def _lines(root: Element, accounts: set[str], currency: str, filename: str) -> tuple[SaftLine, ...]:
    """Lines that name a customer on a receivables account (any account when the customers name none).

    :class:`ImportRefused` lists every date and amount out of bounds (:mod:`krav.formats.saft_values`)."""
    lines: list[SaftLine] = []
    problems: list[Problem] = []
    for journal in root.iterfind("n:GeneralLedgerEntries/n:Journal", NS):
        journal_id = text_of(journal, "n:JournalID") or ""
        for transaction in journal.iterfind("n:Transaction", NS):
            transaction_id = text_of(transaction, "n:TransactionID") or ""
            where = f"{filename}, line {line_of(transaction)}"
            try:
                transaction_date = saft_date(
                    text_of(transaction, "n:TransactionDate") or "", field="TransactionDate", where=where
                )
            except FieldError as exc:
                problems.append(Problem(where, exc.field, exc.problem))
                continue
            transaction_customer = text_of(transaction, "n:CustomerID")
            for line in transaction.iterfind("n:Line", NS):
                account = text_of(line, "n:AccountID") or ""
                on_receivables = not accounts or account in accounts
                customer = text_of(line, "n:CustomerID")
                if customer is None and accounts and account in accounts:
                    customer = transaction_customer
                if customer is None or not on_receivables:
                    continue
                try:
                    lines.append(_line(line, journal_id, transaction_id, transaction_date, account, customer, currency))
                except FieldError as exc:
                    problems.append(Problem(f"{filename}, line {line_of(line)}", exc.field, exc.problem))
    if problems:
        raise ImportRefused(filename, problems)
    return tuple(lines)


def _line(
    line: Element,
    journal_id: str,
    transaction_id: str,
    transaction_date: date,
    account: str,
    customer: str,
    currency: str,
) -> SaftLine:
    amount_node = line.find("n:DebitAmount", NS)
    sign = 1
    if amount_node is None:
        amount_node, sign = line.find("n:CreditAmount", NS), -1
    assert amount_node is not None  # the schema requires one of the two
    amount = saft_money(text_of(amount_node, "n:Amount") or "0", currency).times(sign)
    line_currency = text_of(amount_node, "n:CurrencyCode") or currency
    foreign = text_of(amount_node, "n:CurrencyAmount")
    due = text_of(line, "n:DueDate")
    return SaftLine(
        journal_id=journal_id,
        transaction_id=transaction_id,
        transaction_date=transaction_date,
        record_id=text_of(line, "n:RecordID") or "",
        account_id=account,
        customer_id=customer,
        amount=amount,
        currency=line_currency,
        currency_amount=(
            saft_money(foreign, line_currency, field="CurrencyAmount").times(sign) if foreign is not None else None
        ),
        reference_number=text_of(line, "n:ReferenceNumber"),
        source_document_id=text_of(line, "n:SourceDocumentID"),
        due_date=saft_date(due, field="DueDate") if due is not None else None,
        description=text_of(line, "n:Description") or "",
        source_line=line_of(line),
    )
