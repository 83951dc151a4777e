"""The portal's formats: amounts as ``12 345,50 kr``, counts as ``12 345``, dates as ``dd.mm.åååå`` (moments are
:func:`krav.entrypoints.clock.oslo_moment`); and what a person types read back (an amount with a comma or a dot,
spaces or no-break spaces between the thousands; a date as ``dd.mm.åååå`` or ISO 8601)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from krav.domain.errors import FieldError
from krav.domain.money import Money, format_amount, format_count, parse_decimal

NBSP = "\u00a0"
_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def kr(value: Money | Decimal | None) -> str:
    """An amount as the portal shows it: ``12 345,50 kr`` (no-break spaces, so it never breaks on a phone)."""
    if value is None:
        return ""
    return format_amount(value).replace(" ", NBSP) + NBSP + "kr"


def number(value: int) -> str:
    """A count as ``12 345`` (a no-break space between the thousands, as in an amount)."""
    return format_count(value).replace(" ", NBSP)


def day(value: date | datetime | None) -> str:
    """A date as ``dd.mm.åååå``; nothing for no date."""
    return value.strftime("%d.%m.%Y") if value is not None else ""


def tenths(value: Decimal | None) -> str:
    """A figure to a tenth with a decimal comma, ``20,5``; a dash for none."""
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def percent(value: Decimal | None) -> str:
    """A share in per cent to a tenth, ``16,7 %``; a dash for no share (of nothing)."""
    return "–" if value is None else tenths(value) + NBSP + "%"


def month(value: date) -> str:
    """A month as ``mm.åååå``."""
    return value.strftime("%m.%Y")


def read_amount(text: str | None, field: str) -> Decimal | None:
    """An amount typed into ``field`` (``1 234,50``, ``1234.50``, with no-break spaces); None when left empty."""
    if text is None or not text.strip():
        return None
    try:
        return parse_decimal(text)
    except ValueError:
        raise FieldError(field, f"{text!r} is not an amount (write it as 1 234,50)") from None


def read_day(text: str | None, field: str) -> date | None:
    """A date typed into ``field`` as ``dd.mm.åååå`` (or ISO 8601, as a date input sends it); None when empty."""
    if text is None or not text.strip():
        return None
    value = text.strip().replace(NBSP, "")
    try:
        m = _DAY.fullmatch(value)
        if m is not None:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(value)
    except ValueError:
        raise FieldError(field, f"{text!r} is not a date (write it as dd.mm.åååå)") from None
