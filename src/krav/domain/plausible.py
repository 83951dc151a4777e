"""Plausibility at every door: the bounds a value from outside keeps before Krav takes it.

A bank file, an ERP export, a command line or a scenario can carry anything: a payment of 10^15 kroner, a date
in the year 1 or 9999, a company name with a line break, a customer number of 5 000 digits, a NUL byte. Each
such value is refused where it comes in, naming the field (:class:`FieldError`, or :class:`FileFormatError` for a
file), so that nothing implausible is stored, matched, printed or remitted, and SQLite and PostgreSQL take
exactly the same values (SQLite would store what PostgreSQL refuses with a traceback).

The rules, one function each:

* :func:`check_amount`: an amount is at most :data:`MAX_AMOUNT` either way, exact to the øre, and not 0 where a
  payment or an invoice is meant. :func:`read_amount` reads one written by a machine (XML, JSON) as plain
  digits: ``1E+3`` is refused, as a person would not write it and a file should not.
* :func:`check_date`: a date written by a person or a bank lies between :data:`EARLIEST_DATE` and
  :data:`LATEST_DATE`; :func:`payment_dates` narrows that for a payment to at most :data:`PAYMENT_HORIZON_DAYS`
  after the business date, when the business date is known.
* :func:`check_text`: a text fits its column (the lengths below, which the tables use too) and holds no control
  character: never a NUL or an unpaired surrogate, and in a name, number, reference or address no line break or
  tab either (only free text may run over several lines). :func:`fit_text` keeps instead what is only ever
  shown (a payer's message with a payment): on one line, without control characters, cut to its column.
* :func:`check_file_size`: a file is at most :data:`MAX_FILE_BYTES` (the default of the ``KRAV_MAX_FILE_MB``
  setting), refused before it is read whole or parsed.

>>> check_amount(Money.of("1234.50"), field="amount")
Money('1234.50', 'NOK')
>>> check_text("Eksempel AS\\r\\n", field="name", limit=NAME)
Traceback (most recent call last):
...
krav.domain.errors.FieldError: name: has a control character (CR, U+000D) at position 12; write it on one line
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from krav.domain.errors import FieldError, FileFormatError
from krav.domain.money import ORE, Money, format_amount

__all__ = [
    "CITY",
    "COUNTRY",
    "CUSTOMER_NAME",
    "CUSTOMER_ORGNO",
    "EARLIEST_DATE",
    "EMAIL",
    "KID",
    "LATEST_DATE",
    "LEDGER_ACCOUNT",
    "MAX_AMOUNT",
    "MAX_FILE_BYTES",
    "NAME",
    "NUMBER",
    "ORGNO",
    "PAYMENT_HORIZON_DAYS",
    "PAYMENT_MESSAGE",
    "PAYMENT_REFERENCE",
    "PHONE",
    "POSTCODE",
    "REFERENCE",
    "SETTLES",
    "STREET",
    "TEXT",
    "TYPE_NAME",
    "check_amount",
    "check_date",
    "check_file_size",
    "check_text",
    "fit_text",
    "payment_dates",
    "read_amount",
]

# -- amounts ------------------------------------------------------------------------------------------------

#: The largest amount Krav takes, either way: 100 000 000 000,00 (10^11) in the amount's currency. Ten times
#: the largest invoice a Norwegian company plausibly sends, and far inside what integer øre hold (a sum of
#: 90 million such amounts still fits a BIGINT), so no sum of them overflows storage.
MAX_AMOUNT = Decimal("100000000000.00")

_PLAIN_AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")

# -- dates --------------------------------------------------------------------------------------------------

#: No date written by a person, an ERP or a bank is earlier: a claim or payment older than that is long
#: time-barred. 1990 and not 2000, as bank files with older dates exist: Nets' own OCR giro example transmission
#: (the netsgiro fixture Krav is tested on) is dated 20 January 1992.
EARLIEST_DATE = date(1990, 1, 1)
#: Nor later: where the business date is not known, a date after this is a typing error (``9999-12-31``).
LATEST_DATE = date(2099, 12, 31)
#: A payment is dated at most a year after the business date (a bank's value date may lie ahead, not further).
PAYMENT_HORIZON_DAYS = 366

# -- texts: the length of each kind of column (the tables in adapters/db/tables use these) --------------------

#: A company's organisation number as registered (validated MOD11: nine digits).
ORGNO = 9
#: A customer's organisation number as written (kept even when it fails MOD11, see ``check_customer``).
CUSTOMER_ORGNO = 20
#: A number that names something: customer, invoice (item), collection id, case number.
NUMBER = 40
#: A customer's (debtor's) name, as the ERP holds it.
CUSTOMER_NAME = 10_000
#: Any other name: a company, an account, a payer, the person who did something.
NAME = 200
STREET = 200
POSTCODE = 10
CITY = 100
COUNTRY = 2
#: An e-mail address (RFC 5321: at most 254 characters).
EMAIL = 254
PHONE = 40
#: A ledger account number (NS 4102: four digits, up to eight).
LEDGER_ACCOUNT = 8
#: A KID (R-BANK-1: 2–25 characters).
KID = 25
#: A reference on a voucher line or an open item.
REFERENCE = 100
#: A payment's reference within its bank file, and its payer's name.
PAYMENT_REFERENCE = 200
#: The text of a voucher, a voucher line or a batch.
TEXT = 500
#: What a payer wrote with a payment (camt.054 ``Ustrd``, an OCR giro's free text), kept to show the person who
#: matches it by hand: cut to fit (:func:`fit_text`), never a reason to refuse the bank's file.
PAYMENT_MESSAGE = 500
#: The invoice numbers a voucher line settles, written together.
SETTLES = 400
#: A voucher type's name.
TYPE_NAME = 100

# -- files --------------------------------------------------------------------------------------------------

#: The largest file Krav reads (SAF-T, CSV, payment files, vouchers, scenarios): 100 MiB. A camt.054 of 100 000
#: entries is 80 MB; a bigger file is refused before it is read whole, as parsing it would take gigabytes.
MAX_FILE_BYTES = 100 * 1024 * 1024


def read_amount(text: str, *, field: str, where: str | None = None) -> Decimal:
    """An amount written by a machine (XML, JSON): plain digits with an optional sign and decimal point, at most
    two decimals, within :data:`MAX_AMOUNT`. Exponents (``1E+3``), ``NaN`` and ``Infinity`` are refused.

    >>> read_amount("-1234.50", field="Amt")
    Decimal('-1234.50')
    >>> read_amount("1E+3", field="Amt")
    Traceback (most recent call last):
    ...
    krav.domain.errors.FieldError: Amt: '1E+3' is not an amount: write digits with a decimal point, no exponent
    """
    value = text.strip()
    if not _PLAIN_AMOUNT.fullmatch(value):
        raise FieldError(
            field, f"{value!r} is not an amount: write digits with a decimal point, no exponent", where=where
        )
    return _bounded(Decimal(value), value, field, where)


def _bounded(number: Decimal, shown: str, field: str, where: str | None) -> Decimal:
    if not number.is_finite():
        raise FieldError(field, f"{shown!r} is not an amount", where=where)
    if abs(number) > MAX_AMOUNT:
        raise FieldError(field, f"{_short(shown)} is more than the {format_amount(MAX_AMOUNT)} Krav takes", where=where)
    if number != number.quantize(ORE):
        raise FieldError(field, f"{shown} has more than two decimals", where=where)
    return number


def _short(text: str) -> str:
    return text if len(text) <= 30 else f"{text[:12]}…{text[-6:]} ({len(text)} characters)"


def check_amount(
    amount: Money | Decimal, *, field: str, where: str | None = None, allow_zero: bool = False
) -> Money | Decimal:
    """``amount`` unchanged when it lies within :data:`MAX_AMOUNT` either way, is exact to the øre and (unless
    ``allow_zero``) is not 0, as a payment or an invoice never is; else a :class:`FieldError` naming ``field``.

    >>> check_amount(Money.of(0), field="amount")
    Traceback (most recent call last):
    ...
    krav.domain.errors.FieldError: amount: is 0.00; a payment or an invoice is for more than nothing
    """
    number = amount.amount if isinstance(amount, Money) else amount
    _bounded(number, str(number), field, where)
    if not allow_zero and number == 0:
        raise FieldError(field, "is 0.00; a payment or an invoice is for more than nothing", where=where)
    return amount


def payment_dates(business_date: date | None) -> tuple[date, date]:
    """The dates a payment may carry: from :data:`EARLIEST_DATE` to :data:`PAYMENT_HORIZON_DAYS` after the
    business date, or to :data:`LATEST_DATE` when the business date is not known.

    >>> payment_dates(date(2025, 3, 1))
    (datetime.date(1990, 1, 1), datetime.date(2026, 3, 2))
    """
    if business_date is None:
        return EARLIEST_DATE, LATEST_DATE
    return EARLIEST_DATE, min(business_date + timedelta(days=PAYMENT_HORIZON_DAYS), LATEST_DATE)


def check_date(
    day: date, *, field: str, where: str | None = None, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE
) -> date:
    """``day`` unchanged when it lies from ``earliest`` to ``latest`` (by default :data:`EARLIEST_DATE` to
    :data:`LATEST_DATE`), else a :class:`FieldError` naming ``field``.

    >>> check_date(date(1, 1, 1), field="date")
    Traceback (most recent call last):
    ...
    krav.domain.errors.FieldError: date: 0001-01-01 is not a plausible date (from 1990-01-01 to 2099-12-31)
    """
    if not earliest <= day <= latest:
        raise FieldError(
            field,
            f"{day.isoformat()} is not a plausible date (from {earliest.isoformat()} to {latest.isoformat()})",
            where=where,
        )
    return day


_LINE_BREAKS = {"\n", "\r", "\t"}


#: every character of the categories :func:`_control` names (Cc, Cs, Zl, Zp): a text without one passes at once
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _control(ch: str) -> bool:
    # Cc: C0/C1 controls and DEL; Cs: an unpaired surrogate (no encoding writes it); Zl/Zp: Unicode line breaks
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp")


def check_text(
    value: str | None, *, field: str, limit: int, where: str | None = None, multiline: bool = False
) -> str | None:
    """``value`` unchanged when it has at most ``limit`` characters and no control character, else a
    :class:`FieldError` naming ``field``. ``multiline`` texts (free text) may hold line breaks and tabs; a NUL,
    another control character or an unpaired surrogate is refused everywhere. ``None`` passes.

    >>> check_text("x" * 41, field="number", limit=NUMBER)
    Traceback (most recent call last):
    ...
    krav.domain.errors.FieldError: number: is 41 characters long; at most 40 fit
    """
    if value is None:
        return None
    if len(value) > limit:
        raise FieldError(field, f"is {len(value)} characters long; at most {limit} fit", where=where)
    if _ANY_CONTROL.search(value) is None:
        return value
    for position, ch in enumerate(value, start=1):
        if _control(ch) and not (multiline and ch in _LINE_BREAKS):
            name = {"\x00": "NUL", "\r": "CR", "\n": "LF", "\t": "TAB"}.get(ch, "control")
            hint = "; write it on one line" if ch in _LINE_BREAKS else ""
            raise FieldError(
                field,
                f"has a control character ({name}, U+{ord(ch):04X}) at position {position}{hint}",
                where=where,
            )
    return value


def fit_text(value: str | None, *, limit: int) -> str | None:
    """``value`` kept where it is only shown, never matched on or refused for: on one line (line breaks, tabs and
    runs of blanks become one space), without control characters or unpaired surrogates, and at most ``limit``
    characters, the last one ``…`` where it was cut. None when nothing is left.

    >>> fit_text("Faktura 5007\\r\\n  Kari\\x00", limit=500)
    'Faktura 5007 Kari'
    >>> fit_text("x" * 600, limit=10), fit_text(" \\t", limit=10)
    ('xxxxxxxxx…', None)
    """
    if value is None:
        return None
    text = " ".join("".join(ch for ch in value if ch.isspace() or not _control(ch)).split())
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_file_size(size: int, *, file: str, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file of more than ``limit`` bytes before it is read whole or parsed, naming its size.

    >>> check_file_size(200 * 1024 * 1024, file="stor.xml")
    Traceback (most recent call last):
    ...
    krav.domain.errors.FileFormatError: stor.xml: the file is 200.0 MB; Krav reads files of at most 100.0 MB
    """
    if size > limit:
        raise FileFormatError(file, f"the file is {_size(size)}; Krav reads files of at most {_size(limit)}")


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"
