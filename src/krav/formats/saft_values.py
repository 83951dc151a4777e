"""Values of a SAF-T Financial file: its namespace, and text, dates and amounts read from its elements within the
bounds of :mod:`krav.domain.plausible` (an amount beyond 100 000 000 000,00 or a date outside 1990–2099 is a
:class:`FieldError` naming the element)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from krav.domain.errors import FieldError
from krav.domain.money import Money
from krav.domain.plausible import check_amount, check_date

__all__ = ["NS", "SAFT_NAMESPACE", "Element", "line_of", "saft_date", "saft_money", "text_of"]

SAFT_NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
NS = {"n": SAFT_NAMESPACE}
Element = etree._Element


def line_of(element: Element) -> int | None:
    line: object = element.sourceline
    return line if isinstance(line, int) else None


def text_of(element: Element, path: str) -> str | None:
    value = element.findtext(path, namespaces=NS)
    if value is None:
        return None
    value = value.strip()
    return value or None


def saft_date(text: str, *, field: str = "date", where: str | None = None) -> date:
    """A calendar date from 1990 to 2099; xs:date may carry a time zone (``2017-01-31Z``), which is dropped."""
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise FieldError(field, f"{text!r} is not a date (YYYY-MM-DD)", where=where) from None
    return check_date(day, field=field, where=where)


def saft_money(text: str, currency: str, *, field: str = "Amount", where: str | None = None) -> Money:
    """An amount as the schema writes it (xs:decimal, two decimals), at most the largest Krav takes."""
    number = Decimal(text.strip())  # the schema has checked it is a decimal of at most 18 digits
    check_amount(number, field=field, where=where, allow_zero=True)
    return Money.of(number, currency)
