"""Customers and invoices from CSV files, for creditors whose ERP exports nothing better.

The columns are documented for users in ``docs/imports.md``; this module is their one definition, with the
Norwegian names that ERPs and spreadsheets give them (:data:`CUSTOMER_ALIASES`, :data:`INVOICE_ALIASES`). A file
is UTF-8 (with or without a byte-order mark) or Windows-1252, its first line names the columns, and the
delimiter is ``;``, ``,`` or a tab, whichever the header line uses (:mod:`krav.formats.csv_dialect`). Dates are
``YYYY-MM-DD`` or ``DD.MM.YYYY``; amounts ``1234.50``, ``1234,50`` or ``1 234,50`` (quote an amount with a comma
in a comma-separated file).

A file is taken whole or not at all: every bad row is collected and the file is refused with
:class:`ImportRefused`, each :class:`Problem` naming ``file, line N``, the column and what is wrong.

>>> [c.number for c in parse_customers_csv(b"number;name\\n1001;Ola Nordmann\\n", filename="k.csv")]
['1001']
>>> invoice = parse_invoices_csv(
...     b"number,customer,invoice_date,amount\\n7,1001,31.01.2025,\\"1 234,50\\"\\n", filename="f.csv"
... )[0]
>>> invoice.amount, invoice.invoice_date.isoformat(), invoice.voucher_type
(Money('1234.50', 'NOK'), '2025-01-31', 11)
>>> parse_invoices_csv(
...     "Fakturanr\\tKundenr\\tFakturadato\\tBeløp\\n7\\t1001\\t31.01.2025\\t1 234,50\\n".encode("cp1252"), filename="f.txt"
... )[0].amount
Money('1234.50', 'NOK')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from krav.domain.errors import FieldError, ImportRefused, Problem
from krav.domain.kid import check_kid
from krav.domain.money import DEFAULT_CURRENCY, Money, parse_decimal
from krav.domain.party import (
    Address,
    Customer,
    CustomerKind,
    check_customer,
    is_valid_email,
    is_valid_norwegian_postcode,
)
from krav.domain.plausible import NUMBER, TEXT, check_amount, check_date, check_text
from krav.formats.csv_dialect import Columns, Row, read_rows

__all__ = [
    "CUSTOMER_ALIASES",
    "CUSTOMER_COLUMNS",
    "CUSTOMER_REQUIRED",
    "INVOICE_ALIASES",
    "INVOICE_COLUMNS",
    "INVOICE_REQUIRED",
    "CsvInvoice",
    "parse_customers_csv",
    "parse_invoices_csv",
]

CUSTOMER_COLUMNS = (
    "number",
    "name",
    "kind",
    "orgno",
    "street",
    "postcode",
    "city",
    "country",
    "email",
    "exempt",
    "payment_terms_days",
    "language",
    "email_for_letters",
)
CUSTOMER_REQUIRED = ("number", "name")
INVOICE_COLUMNS = (
    "number",
    "customer",
    "invoice_date",
    "due_date",
    "amount",
    "currency",
    "voucher_type",
    "kid",
    "exempt",
    "text",
)
INVOICE_REQUIRED = ("number", "customer", "invoice_date", "amount")
DEFAULT_VOUCHER_TYPE = 11  # R-LED-2: outgoing invoice

# The names Norwegian ERPs and spreadsheets give the columns, as :func:`~krav.formats.csv_dialect.header_key`
# writes them (lower case); docs/imports.md lists them for users. A name not here, nor a column, is refused.
CUSTOMER_ALIASES = {
    **dict.fromkeys(("kundenr", "kundenr.", "kundenummer"), "number"),
    **dict.fromkeys(("navn", "kundenavn"), "name"),
    **dict.fromkeys(("type", "kundetype"), "kind"),
    **dict.fromkeys(("org.nr.", "org.nr", "orgnr", "org nr", "organisasjonsnummer"), "orgno"),
    **dict.fromkeys(("adresse", "gateadresse", "postadresse"), "street"),
    **dict.fromkeys(("postnr", "postnr.", "postnummer"), "postcode"),
    **dict.fromkeys(("poststed", "sted"), "city"),
    "land": "country",
    **dict.fromkeys(("e-post", "epost", "e-postadresse"), "email"),
    "purrefritak": "exempt",
    **dict.fromkeys(("betalingsbetingelser", "betalingsfrist", "betalingsfrist (dager)"), "payment_terms_days"),
    **dict.fromkeys(("språk", "sprak"), "language"),
    **dict.fromkeys(("e-post for brev", "epost for brev"), "email_for_letters"),
}
INVOICE_ALIASES = {
    **dict.fromkeys(("fakturanr", "fakturanr.", "fakturanummer"), "number"),
    **dict.fromkeys(("kundenr", "kundenr.", "kundenummer"), "customer"),
    "fakturadato": "invoice_date",
    **dict.fromkeys(("forfallsdato", "forfall"), "due_date"),
    **dict.fromkeys(("beløp", "belop", "sum"), "amount"),
    "valuta": "currency",
    **dict.fromkeys(("bilagsart", "bilagstype"), "voucher_type"),
    **dict.fromkeys(("kid-nummer", "kidnummer"), "kid"),
    "purrefritak": "exempt",
    **dict.fromkeys(("tekst", "beskrivelse"), "text"),
}
_CUSTOMERS = Columns(CUSTOMER_COLUMNS, CUSTOMER_REQUIRED, CUSTOMER_ALIASES)
_INVOICES = Columns(INVOICE_COLUMNS, INVOICE_REQUIRED, INVOICE_ALIASES)

# a customer's kind as Norwegian systems write it (Privat/Bedrift), beside Krav's own names
_KINDS = {
    **dict.fromkeys(("consumer", "privat", "person", "privatperson", "forbruker"), "consumer"),
    **dict.fromkeys(("business", "bedrift", "firma", "foretak"), "business"),
}

_TRUE = {"ja", "yes", "true", "1"}
_FALSE = {"nei", "no", "false", "0"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NO_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class CsvInvoice:
    """An outgoing invoice from a CSV file, to be posted as a voucher of ``voucher_type``."""

    number: str
    customer: str
    invoice_date: date
    amount: Money  # positive: credit notes are posted as vouchers, not imported here
    due_date: date | None = None
    voucher_type: int = DEFAULT_VOUCHER_TYPE
    kid: str | None = None
    exempt: bool = False  # purrefritak
    text: str = ""
    line: int | None = None  # where in the file, for messages about it later (an unknown customer)

    @property
    def currency(self) -> str:
        return self.amount.currency


# -- the two files ------------------------------------------------------------------------------------------


def parse_customers_csv(data: bytes, *, filename: str) -> list[Customer]:
    """The customers of a CSV file (columns: :data:`CUSTOMER_COLUMNS`, required :data:`CUSTOMER_REQUIRED`).

    ``kind`` is ``consumer`` or ``business`` (default: business when an orgno is given, else consumer); an
    organisation number must pass MOD11 (R-PARTY-1); ``country`` defaults to ``NO``, where a postcode has four
    digits; ``exempt`` is ja/nei/yes/no/true/false/1/0; ``language`` nb or en; ``email_for_letters`` (the same
    yes/no) says the debtor gave the e-mail for letters, which then go there instead of on paper (R-SVC-2); left
    out or empty, what was recorded for the same address stays. A customer number may appear once.
    """
    rows = read_rows(data, filename, _CUSTOMERS)
    customers: list[Customer] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        unique = _unique(row, first_line, "customer number")
        customer = _customer(row)
        if customer is not None and unique:
            customers.append(customer)
        problems.extend(row.problems)
    if problems:
        raise ImportRefused(filename, problems)
    return customers


def parse_invoices_csv(data: bytes, *, filename: str) -> list[CsvInvoice]:
    """The invoices of a CSV file (columns: :data:`INVOICE_COLUMNS`, required :data:`INVOICE_REQUIRED`).

    ``amount`` must be positive (a credit note is posted as a voucher); ``currency`` defaults to NOK,
    ``voucher_type`` to 11 (outgoing invoice); ``due_date`` may be empty but not before ``invoice_date``;
    ``kid`` must pass its MOD10 or MOD11 check (R-BANK-1). An invoice number may appear once.
    """
    rows = read_rows(data, filename, _INVOICES)
    invoices: list[CsvInvoice] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        unique = _unique(row, first_line, "invoice number")
        invoice = _invoice(row)
        if invoice is not None and unique:
            invoices.append(invoice)
        problems.extend(row.problems)
    if problems:
        raise ImportRefused(filename, problems)
    return invoices


def _unique(row: Row, first_line: dict[str, int], what: str) -> bool:
    """Whether the row's number is the first of its kind in the file (a row without one is left to the
    required-value check)."""
    number = row.get("number")
    if number is None:
        return True
    if number in first_line:
        row.problem("number", f"{what} {number} is already on line {first_line[number]}")
        return False
    first_line[number] = row.line
    return True


def _customer(row: Row) -> Customer | None:
    number = row.text("number")
    name = row.text("name")
    orgno = row.get("orgno")
    kind = row.field("kind", _kind, default=CustomerKind.BUSINESS if orgno else CustomerKind.CONSUMER)
    country = row.field("country", _country, default="NO")
    postcode = row.get("postcode")
    if postcode and country == "NO" and not is_valid_norwegian_postcode(postcode):
        row.problem(
            "postcode",
            f"{postcode!r} is not a Norwegian postcode (4 digits; a spreadsheet may have dropped a leading 0: "
            "format the column as text)",
        )
    email = row.get("email")
    if email and not is_valid_email(email):
        row.problem("email", f"{email!r} is not a valid e-mail address")
        email = None
    exempt = row.field("exempt", _yes_no, default=False)
    terms = row.field("payment_terms_days", _terms, default=None)
    language = row.field("language", _language, default="nb")
    # R-SVC-2: the debtor gave the e-mail for letters; left out (or empty), what was recorded for the address stays
    for_letters: bool | None = row.field("email_for_letters", _yes_no, default=None)
    if number is None:
        return None
    try:
        customer = check_customer(
            Customer(
                number=number,
                name=name or "",
                kind=kind,
                orgno=orgno,
                address=Address(street=row.get("street"), postcode=postcode, city=row.get("city"), country=country),
                email=email,
                exempt=exempt,
                payment_terms_days=terms,
                language=language,
                email_for_letters=for_letters,
            ),
            where=row.where,
            strict_orgno=True,
        )
    except FieldError as exc:
        row.problem(exc.field, exc.problem)
        return None
    return None if row.problems else customer


def _invoice(row: Row) -> CsvInvoice | None:
    number = row.required("number", _fits(NUMBER))
    customer = row.required("customer", _fits(NUMBER))
    text = row.field("text", _fits(TEXT), default="")
    invoice_date = row.required("invoice_date", read_date)
    due_date = row.field("due_date", read_date, default=None)
    currency = row.field("currency", _currency, default=DEFAULT_CURRENCY)
    amount = row.required("amount", lambda text: _amount(text, currency))
    voucher_type = row.field("voucher_type", _voucher_type, default=DEFAULT_VOUCHER_TYPE)
    kid = row.field("kid", lambda text: check_kid(text, field="kid"), default=None)
    exempt = row.field("exempt", _yes_no, default=False)
    if invoice_date is not None and due_date is not None and due_date < invoice_date:
        row.problem("due_date", f"{due_date.isoformat()} is before the invoice date {invoice_date.isoformat()}")
    if number is None or customer is None or invoice_date is None or amount is None or row.problems:
        return None
    return CsvInvoice(
        number=number,
        customer=customer,
        invoice_date=invoice_date,
        amount=amount,
        due_date=due_date,
        voucher_type=voucher_type,
        kid=kid,
        exempt=exempt,
        text=text,
        line=row.line,
    )


# -- field readers: each returns the value or raises ValueError with what is wrong ---------------------------


def read_date(text: str) -> date:
    """A CSV cell's date, ``YYYY-MM-DD`` or ``DD.MM.YYYY``, within the plausible years; else ValueError."""
    iso, norwegian = _ISO_DATE.match(text), _NO_DATE.match(text)
    if iso:
        year, month, day = iso[1], iso[2], iso[3]
    elif norwegian:
        year, month, day = norwegian[3], norwegian[2], norwegian[1]
    else:
        raise ValueError(f"{text!r} is not a date (write YYYY-MM-DD or DD.MM.YYYY)")
    try:
        written = date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the calendar") from None
    return check_date(written, field="date")


def _fits(limit: int) -> Callable[[str], str]:
    """A reader of a text that must fit its column and stay on one line (free ``text`` may break lines)."""

    def read(text: str) -> str:
        checked = check_text(text, field="text", limit=limit, multiline=limit == TEXT)
        assert checked is not None
        return checked

    return read


def _amount(text: str, currency: str) -> Money:
    try:
        value = parse_decimal(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an amount (write 1234.50, 1234,50 or 1 234,50)") from None
    check_amount(value, field="amount", allow_zero=True)  # within the maximum, and at most two decimals
    if value < 0:
        raise ValueError(f"{text} is negative: post a credit note as a voucher, not as an invoice")
    if value == 0:
        raise ValueError("is 0: an invoice must be for more than nothing")
    return Money.of(value, currency)


def _currency(text: str) -> str:
    code = text.upper()
    if not _CURRENCY.match(code):
        raise ValueError(f"{text!r} is not an ISO 4217 currency code (e.g. NOK, EUR)")
    return code


def _country(text: str) -> str:
    code = text.upper()
    if not _COUNTRY.match(code):
        raise ValueError(f"{text!r} is not an ISO 3166 country code (two letters, e.g. NO, SE)")
    return code


def _kind(text: str) -> CustomerKind:
    kind = _KINDS.get(text.casefold())
    if kind is None:
        raise ValueError(f"{text!r} is neither consumer (privat, person) nor business (bedrift, firma)")
    return CustomerKind(kind)


def _yes_no(text: str) -> bool:
    value = text.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{text!r} is not one of ja, nei, yes, no, true, false, 1, 0")


def _terms(text: str) -> int:
    if not text.isdigit() or int(text) > 365:
        raise ValueError(f"{text!r} is not a number of days from 0 to 365")
    return int(text)


def _language(text: str) -> str:
    value = text.lower()
    if value not in ("nb", "en"):
        raise ValueError(f"{text!r} is not nb (bokmål) or en (English)")
    return value


def _voucher_type(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise ValueError(f"{text!r} is not a voucher type number (e.g. 11, outgoing invoice)")
    return int(text)
