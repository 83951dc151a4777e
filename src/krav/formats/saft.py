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
(billion laughs, external entities). It must validate against the schema of its version: AuditFileVersion
says which to try first (the official example says ``1.0`` and is 1.10), the other is tried next.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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
from krav.domain.party import (
    Address,
    Customer,
    CustomerKind,
    check_customer,
    is_valid_email,
    is_valid_norwegian_postcode,
    is_valid_orgno,
)

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

SAFT_NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
SCHEMA_FILES = {
    "1.10": "Norwegian_SAF-T_Financial_Schema_v_1.10.xsd",
    "1.30": "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd",
}
_NS = {"n": SAFT_NAMESPACE}
_Element = etree._Element


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
class SaftCustomer:
    """A customer from MasterFiles with its receivables account(s) and balances (signed, debit positive)."""

    customer: Customer
    account_ids: tuple[str, ...]
    opening_balance: Money
    closing_balance: Money
    registration_number: str | None = None  # as written; ``customer.orgno`` only holds a valid one
    party_type: str | None = None  # PartyInfo/Type, e.g. "Company"
    notes: tuple[str, ...] = ()  # what was not taken as written, for the import report
    source_line: int | None = None


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
    version_text = (root.findtext("n:Header/n:AuditFileVersion", namespaces=_NS) or "").strip()
    schema_version = _validate(root, version_text, filename, schema_dir)
    header = _header(root, version_text, schema_version, filename)
    customers = _customers(root, header.default_currency, filename)
    accounts = tuple(sorted({a for c in customers for a in c.account_ids}))
    lines = _lines(root, set(accounts), header.default_currency)
    return SaftFile(filename, header, customers, accounts, lines)


_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE_REFUSED = (
    "the file carries a DOCTYPE (a DTD or entity declarations); SAF-T files have none and Krav refuses "
    "them, as entities can expand without limit or read other files"
)


def _parse_xml(data: bytes, filename: str) -> _Element:
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
            line=_line_of(root),
        )
    return root


def _load_schema(schema_dir: Path, version: str) -> etree.XMLSchema:
    path = schema_dir / SCHEMA_FILES[version]
    if not path.is_file():
        raise FileNotFoundError(f"SAF-T Financial {version} schema not found: {path}")
    return etree.XMLSchema(etree.parse(str(path), _safe_parser()))


def _validate(root: _Element, version_text: str, filename: str, schema_dir: Path) -> str:
    """The schema version the file validates against; the one its AuditFileVersion names is tried first."""
    first, second = ("1.30", "1.10") if version_text.startswith("1.3") else ("1.10", "1.30")
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


def _line_of(element: _Element) -> int | None:
    line: object = element.sourceline
    return line if isinstance(line, int) else None


def _text(element: _Element, path: str) -> str | None:
    value = element.findtext(path, namespaces=_NS)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _date(text: str) -> date:
    # xs:date may carry a time zone ("2017-01-31Z", "2017-01-31+01:00"); a calendar date is what counts.
    return date.fromisoformat(text.strip()[:10])


def _money(text: str, currency: str) -> Money:
    return Money.of(Decimal(text.strip()), currency)


def _header(root: _Element, version_text: str, schema_version: str, filename: str) -> SaftHeader:
    header = root.find("n:Header", _NS)
    assert header is not None  # the schema requires it
    currency = _text(header, "n:DefaultCurrencyCode") or "NOK"
    start, end = _selection_period(header, filename)
    return SaftHeader(
        audit_file_version=version_text,
        schema_version=schema_version,
        company_orgno=_text(header, "n:Company/n:RegistrationNumber") or "",
        company_name=_text(header, "n:Company/n:Name") or "",
        default_currency=currency,
        period_start=start,
        period_end=end,
        created=_date(_text(header, "n:AuditFileDateCreated") or ""),
    )


def _selection_period(header: _Element, filename: str) -> tuple[date, date]:
    criteria = header.find("n:SelectionCriteria", _NS)
    if criteria is None:
        raise FileFormatError(
            filename,
            "the header has no SelectionCriteria: the selection period dates the opening balances",
            line=_line_of(header),
            element="Header",
        )
    start_date = _text(criteria, "n:SelectionStartDate")
    if start_date is not None:
        return _date(start_date), _date(_text(criteria, "n:SelectionEndDate") or start_date)
    start_month = int(_text(criteria, "n:PeriodStart") or "1")
    start_year = int(_text(criteria, "n:PeriodStartYear") or "0")
    end_month = int(_text(criteria, "n:PeriodEnd") or str(start_month))
    end_year = int(_text(criteria, "n:PeriodEndYear") or str(start_year))
    if not 1 <= start_month <= 12:
        raise FileFormatError(
            filename,
            f"PeriodStart {start_month} is not a month (1-12)",
            line=_line_of(criteria),
            element="SelectionCriteria",
        )
    end_month = min(max(end_month, 1), 12)  # some systems count a 13th (closing) period: it ends in December
    last_day = calendar.monthrange(end_year, end_month)[1]
    return date(start_year, start_month, 1), date(end_year, end_month, last_day)


# -- customers ----------------------------------------------------------------------------------------------


def _customers(root: _Element, currency: str, filename: str) -> tuple[SaftCustomer, ...]:
    customers: list[SaftCustomer] = []
    problems: list[Problem] = []
    first_line: dict[str, int | None] = {}
    for element in root.iterfind("n:MasterFiles/n:Customers/n:Customer", _NS):
        where = f"{filename}, line {_line_of(element)}"
        try:
            customer = _customer(element, currency, where)
        except FieldError as exc:
            problems.append(Problem(where, exc.field, exc.problem))
            continue
        number = customer.customer.number
        if number in first_line:
            problems.append(Problem(where, "CustomerID", f"customer {number} is already on line {first_line[number]}"))
            continue
        first_line[number] = _line_of(element)
        customers.append(customer)
    if problems:
        raise ImportRefused(filename, problems)
    return tuple(customers)


def _customer(element: _Element, currency: str, where: str) -> SaftCustomer:
    notes: list[str] = []
    number = _text(element, "n:CustomerID") or ""
    registration = _text(element, "n:RegistrationNumber")
    orgno = None
    if registration is not None:
        if is_valid_orgno(registration):
            orgno = registration  # check_customer compacts it
        elif len("".join(ch for ch in registration if ch.isdigit())) == 11:
            notes.append("RegistrationNumber looks like a national identity number: not kept; imported as consumer")
        else:
            notes.append(
                f"RegistrationNumber {registration} is not a valid organisation number (MOD11): imported as consumer"
            )
    email = None
    for candidate in element.iterfind("n:Contact/n:Email", _NS):
        value = (candidate.text or "").strip()
        if is_valid_email(value):
            email = value
            break
        if value:
            notes.append(f"e-mail {value!r} is not a valid address: not kept")
    terms = _payment_terms(element, notes)
    accounts, opening, closing = _balances(element, currency)
    customer = check_customer(
        Customer(
            number=number,
            name=_text(element, "n:Name") or "",
            kind=CustomerKind.BUSINESS if orgno else CustomerKind.CONSUMER,
            orgno=orgno,
            address=_address(element, notes),
            email=email,
            payment_terms_days=terms,
        ),
        where=where,
        strict_orgno=True,
    )
    return SaftCustomer(
        customer=customer,
        account_ids=accounts,
        opening_balance=opening,
        closing_balance=closing,
        registration_number=registration,
        party_type=_text(element, "n:PartyInfo/n:Type"),
        notes=tuple(notes),
        source_line=_line_of(element),
    )


def _payment_terms(element: _Element, notes: list[str]) -> int | None:
    terms = element.find("n:PartyInfo/n:PaymentTerms", _NS)
    if terms is None:
        return None
    days_text = _text(terms, "n:Days")
    days = int(days_text) if days_text is not None else None
    if days is not None and days > 365:
        notes.append(f"PaymentTerms/Days {days} is more than a year: not kept, default terms apply")
        days = None
    if _text(terms, "n:Months") is not None:
        notes.append("PaymentTerms/Months is not applied: only Days is")
    if (_text(terms, "n:FreeBillingMonth") or "").lower() in ("true", "1") and days is not None:
        notes.append("PaymentTerms/FreeBillingMonth is not applied: due date = invoice date + Days (R-IMP-1)")
    return days


def _balances(element: _Element, currency: str) -> tuple[tuple[str, ...], Money, Money]:
    """Account ids and summed balances: 1.10 holds them in Customer, 1.30 in Customer/BalanceAccount."""
    holders = [element, *element.iterfind("n:BalanceAccount", _NS)]
    accounts: list[str] = []
    opening = closing = Money.zero(currency)
    for holder in holders:
        account = _text(holder, "n:AccountID")
        if account is not None and account not in accounts:
            accounts.append(account)
        for name, sign, is_opening in (
            ("OpeningDebitBalance", 1, True),
            ("OpeningCreditBalance", -1, True),
            ("ClosingDebitBalance", 1, False),
            ("ClosingCreditBalance", -1, False),
        ):
            value = _text(holder, f"n:{name}")
            if value is None:
                continue
            amount = _money(value, currency).times(sign)
            if is_opening:
                opening += amount
            else:
                closing += amount
    return tuple(accounts), opening, closing


_ADDRESS_PREFERENCE = ("PostalAddress", "StreetAddress", None)


def _address(element: _Element, notes: list[str]) -> Address:
    """The postal address when it is usable, else the street address, else any usable one.

    Letters go by post, so the postal address comes first; one with placeholders (``n.a``) is passed over.
    """
    found: list[tuple[str | None, Address]] = []
    for node in element.iterfind("n:Address", _NS):
        street = " ".join(p for p in (_text(node, "n:StreetName"), _text(node, "n:Number")) if p) or None
        address = Address(
            street=street,
            postcode=_text(node, "n:PostalCode"),
            city=_text(node, "n:City"),
            country=(_text(node, "n:Country") or "NO").upper(),
        )
        found.append((_text(node, "n:AddressType"), address))
    if not found:
        return Address()
    for preferred in _ADDRESS_PREFERENCE:
        for kind, address in found:
            if (preferred is None or kind == preferred) and _usable(address):
                if preferred != "PostalAddress" and any(k == "PostalAddress" for k, _ in found):
                    notes.append(f"PostalAddress is incomplete or invalid: {kind or 'Address'} used")
                return address
    return found[0][1]


def _usable(address: Address) -> bool:
    if not address.is_complete():
        return False
    return address.country != "NO" or is_valid_norwegian_postcode(address.postcode)


# -- general ledger lines -----------------------------------------------------------------------------------


def _lines(root: _Element, accounts: set[str], currency: str) -> tuple[SaftLine, ...]:
    """Lines that name a customer on a receivables account (any account when the customers name none)."""
    lines: list[SaftLine] = []
    for journal in root.iterfind("n:GeneralLedgerEntries/n:Journal", _NS):
        journal_id = _text(journal, "n:JournalID") or ""
        for transaction in journal.iterfind("n:Transaction", _NS):
            transaction_id = _text(transaction, "n:TransactionID") or ""
            transaction_date = _date(_text(transaction, "n:TransactionDate") or "")
            transaction_customer = _text(transaction, "n:CustomerID")
            for line in transaction.iterfind("n:Line", _NS):
                account = _text(line, "n:AccountID") or ""
                on_receivables = not accounts or account in accounts
                customer = _text(line, "n:CustomerID")
                if customer is None and accounts and account in accounts:
                    customer = transaction_customer
                if customer is None or not on_receivables:
                    continue
                lines.append(_line(line, journal_id, transaction_id, transaction_date, account, customer, currency))
    return tuple(lines)


def _line(
    line: _Element,
    journal_id: str,
    transaction_id: str,
    transaction_date: date,
    account: str,
    customer: str,
    currency: str,
) -> SaftLine:
    amount_node = line.find("n:DebitAmount", _NS)
    sign = 1
    if amount_node is None:
        amount_node, sign = line.find("n:CreditAmount", _NS), -1
    assert amount_node is not None  # the schema requires one of the two
    amount = _money(_text(amount_node, "n:Amount") or "0", currency).times(sign)
    line_currency = _text(amount_node, "n:CurrencyCode") or currency
    foreign = _text(amount_node, "n:CurrencyAmount")
    due = _text(line, "n:DueDate")
    return SaftLine(
        journal_id=journal_id,
        transaction_id=transaction_id,
        transaction_date=transaction_date,
        record_id=_text(line, "n:RecordID") or "",
        account_id=account,
        customer_id=customer,
        amount=amount,
        currency=line_currency,
        currency_amount=_money(foreign, line_currency).times(sign) if foreign is not None else None,
        reference_number=_text(line, "n:ReferenceNumber"),
        source_document_id=_text(line, "n:SourceDocumentID"),
        due_date=_date(due) if due is not None else None,
        description=_text(line, "n:Description") or "",
        source_line=_line_of(line),
    )
